// Parsing and printing of durations as users type them: "250ms", "30s",
// "5m", "1h30m", "2d"; a bare number means seconds.
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace renderq {

using Millis = std::chrono::milliseconds;

// Parses a non-negative duration. Fails with Errc::BadDuration naming the
// text for anything else (empty, negative, unknown unit, overflow).
Result<Millis> parse_duration(std::string_view text);

// Formats a duration compactly: 1500ms -> "1.5s", 5400s -> "1h30m".
std::string format_duration(Millis d);

// Milliseconds since the Unix epoch, from the system clock.
std::int64_t now_unix_ms();

}  // namespace renderq
