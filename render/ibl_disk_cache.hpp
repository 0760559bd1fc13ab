// The on-disk form of a prefiltered environment (or the BRDF lookup table),
// so a cold process skips the prefilter. One file per entry, named by its
// key: "<dir>/ibl-v<format>-<key as 16 hex digits>.bin".
//
// File layout (little-endian, as the host writes it; a big-endian reader
// fails the magic check and rebuilds):
//   char[8]  magic "RQIBLC\r\n"
//   u32      format version (kIblCacheFormat)
//   u32      level count
//   u64      key
//   u64      payload checksum (hash64 of all level bytes, in order)
//   per level: u32 width, u32 height, u32 layers (6 = cube faces), u32 gl format tag,
//              u64 byte count
//   the levels' bytes, in order
// A file that is short, has another magic/version/key, or fails its checksum
// is reported as corrupt; callers ignore it and write a fresh one. Writes go
// to a temporary file in the same folder, are flushed, then renamed over the
// final name, so readers see the old file or the new one, never half of one.
//
// Thread-safety: functions are independent; concurrent writers of the same
// key each rename a complete file, and the last rename wins.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace renderq {

inline constexpr std::uint32_t kIblCacheFormat = 1;

struct CacheLevel {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::uint32_t layers = 1;
  std::uint32_t format = 0;  // caller's tag for the pixel format
  std::vector<std::uint8_t> bytes;
  bool operator==(const CacheLevel&) const = default;
};

// A fast 64-bit content hash (not cryptographic): keys and checksums.
std::uint64_t hash64(std::span<const std::uint8_t> bytes, std::uint64_t seed = 0);
std::uint64_t hash64(std::string_view text, std::uint64_t seed = 0);

std::filesystem::path cache_file_path(const std::filesystem::path& dir, std::uint64_t key);

// Reads the entry for `key`: Errc::NotFound when there is none; a damaged or
// foreign file is Errc::Io naming what is wrong with it.
Result<std::vector<CacheLevel>> read_cache_file(const std::filesystem::path& dir, std::uint64_t key);

// Writes the entry atomically, creating `dir` if needed. Errc::Io on failure
// (the caller logs it and carries on without the disk cache).
Result<void> write_cache_file(const std::filesystem::path& dir, std::uint64_t key,
                              std::span<const CacheLevel> levels);

}  // namespace renderq
