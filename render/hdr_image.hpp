// Radiance .hdr (RGBE) decoding into linear float RGB, for image-based
// lighting. Reads the "#?RADIANCE"/"#?RGBE" header, FORMAT=32-bit_rle_rgbe
// (XYZE is refused), the standard "-Y H +X W" orientation, and both flat and
// new-style run-length-encoded scanlines (old-style RLE is rejected as
// garbage, it has not been written by any tool for decades).
//
// Every malformed input (missing file, truncated data, a bad header, a run
// that overflows its scanline, absurd sizes) is Errc::EnvironmentInvalid
// naming the problem; nothing reads past the end of the buffer.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "core/error.hpp"

namespace renderq {

struct HdrImage {
  int width = 0;
  int height = 0;
  std::vector<float> rgb;  // width*height*3, row 0 = top of the image (+Y)
};

// The largest width or height accepted (a 16k equirect is already 768 MiB as
// floats).
inline constexpr int kHdrMaxDimension = 16384;
inline constexpr std::size_t kHdrMaxPixels = std::size_t{16384} * 4096;

// Decodes a whole .hdr file held in memory. `what` names it in errors.
// `max_bytes` (0 = none): what the decoded floats and the scanline buffer
// may take, checked from the resolution line before allocating
// (Errc::SceneTooLarge).
Result<HdrImage> decode_hdr(std::span<const std::uint8_t> bytes, const std::string& what = "hdr",
                            std::uint64_t max_bytes = 0);

// Reads and decodes `path`.
Result<HdrImage> read_hdr_file(const std::filesystem::path& path);

// Reads a whole file, which must be a regular file (opened without
// blocking: a FIFO or a device is refused at once; core/input_file).
// Errc::EnvironmentInvalid when it cannot be read; Errc::SceneTooLarge when
// it is larger than `max_bytes` (0 = no limit), before reading.
Result<std::vector<std::uint8_t>> read_environment_bytes(const std::filesystem::path& path, std::uint64_t max_bytes = 0);

// Encodes `image` as a Radiance .hdr with new-style RLE scanlines (flat ones
// when the width is outside 8..32767). Values round to the nearest RGBE
// bin centre as decode_hdr reads it. Used by tests and benchmarks to make
// files; renderq itself never writes environments.
std::vector<std::uint8_t> encode_hdr(const HdrImage& image);

// One linear RGB pixel to RGBE (Radiance's float2rgbe, finite input).
void float_to_rgbe(const float in[3], std::uint8_t out[4]);

// One RGBE pixel to linear RGB, exactly as Radiance defines it:
// (m + 0.5) * 2^(e - 136), and 0 when e == 0.
void rgbe_to_float(const std::uint8_t rgbe[4], float out[3]);

}  // namespace renderq
