// Test decoders for renderq's outputs: libpng (8 and 16 bits, text chunks),
// libjpeg, libwebp (stills) and libwebpdemux (animations).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace renderq::test {

struct Decoded {
  int width = 0, height = 0, depth = 8, channels = 4;
  std::vector<std::uint16_t> samples;          // every sample, top row first
  std::map<std::string, std::string> texts;    // PNG tEXt chunks
  std::string comment;                         // JPEG COM marker
  bool ok = false;
};

std::vector<std::uint8_t> read_bytes(const std::string& path);
// The "XMP " chunk of a WebP file ("" without one), through libwebpdemux.
std::string webp_xmp(const std::vector<std::uint8_t>& bytes);
Decoded decode_png(const std::vector<std::uint8_t>& bytes);
Decoded decode_jpeg(const std::vector<std::uint8_t>& bytes);
Decoded decode_webp(const std::vector<std::uint8_t>& bytes);

struct Animation {
  int width = 0, height = 0, frames = 0, loop_count = -1;
  std::vector<int> timestamps_ms;              // end of each frame, as WebPAnimDecoder reports
  std::vector<std::vector<std::uint8_t>> rgba; // each frame, composited
  bool ok = false;
};
Animation decode_webp_animation(const std::vector<std::uint8_t>& bytes);

}  // namespace renderq::test
