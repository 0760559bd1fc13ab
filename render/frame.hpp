// Frames between the GL thread and the encoders. RgbaFrame is what a
// read-back gives (bottom-up rows, premultiplied alpha); StraightImage is
// what every encoder takes (rows top to bottom, straight alpha, sRGB).
//
// Thread-safety: plain values; to_straight touches only its argument.
#pragma once

#include <cstdint>
#include <vector>

namespace renderq {

struct RgbaFrame {
  int width = 0, height = 0;
  int depth = 8;                        // 8: `pixels`; 16: `pixels16`
  std::vector<std::uint8_t> pixels{};   // depth 8: width * height * 4, sRGB
  std::vector<std::uint16_t> pixels16{};  // depth 16: width * height * 4, LINEAR (an RGBA16 target)
  bool bottom_up = false;               // rows bottom to top, as glReadPixels gives them
  bool premultiplied = false;           // colour premultiplied by alpha in linear space
};

struct StraightImage {
  int width = 0, height = 0;
  int depth = 8;                        // 8: rgba8; 16: rgba16
  std::vector<std::uint8_t> rgba8{};    // sRGB, straight alpha, top row first
  std::vector<std::uint16_t> rgba16{};  // sRGB (16-bit code values), straight alpha, top row first
};

// Whether the frame's buffer matches its size and depth.
bool frame_is_consistent(const RgbaFrame& frame);

// Straight alpha, rows top down, sRGB (16-bit linear values are encoded to
// 16-bit sRGB). Works in place: the frame's buffer becomes the image's.
// REQUIRES: frame_is_consistent(frame).
StraightImage to_straight(RgbaFrame frame);

// The image at 8 bits per channel (16-bit values rounded); 8-bit images
// pass through.
StraightImage to_depth8(StraightImage image);

}  // namespace renderq
