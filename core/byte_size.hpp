// Byte sizes as people type them ("512M", "2G", "1.5G", "1048576") and as
// messages show them ("1.0 GiB"). One parser for every SIZE option
// (--max-worker-rss, --exec-output-cap, --max-scene-memory, the config).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace renderq {

// Parses a number with an optional unit: B, K/k/KiB, M/MiB, G/GiB (powers of
// 1024). Errc::InvalidArgument for anything else, a negative value or one
// past 2^62.
Result<std::int64_t> parse_byte_size(const std::string& text);

// "512 B", "3.0 KiB", "1.0 GiB": one decimal, binary units.
std::string format_bytes(std::uint64_t bytes);

}  // namespace renderq
