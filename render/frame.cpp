#include "render/frame.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>

#include "render/color.hpp"

namespace renderq {
namespace {

template <typename T>
void flip_rows(std::vector<T>& px, int width, int height) {
  const std::size_t stride = static_cast<std::size_t>(width) * 4;
  for (int y = 0; y < height / 2; ++y)
    std::swap_ranges(px.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y) * stride),
                     px.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(y + 1) * stride),
                     px.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(height - 1 - y) * stride));
}

std::uint16_t linear_to_srgb16(float linear) {
  float v = std::clamp(linear_to_srgb(std::clamp(linear, 0.0f, 1.0f)), 0.0f, 1.0f);
  return static_cast<std::uint16_t>(std::lround(v * 65535.0f));
}

// Linear 16-bit values (premultiplied when asked) -> straight 16-bit sRGB.
// Opaque and empty pixels, nearly all of them, go through a table.
void linear16_to_srgb16(std::span<std::uint16_t> px, bool premultiplied) {
  static const std::vector<std::uint16_t> table = [] {
    std::vector<std::uint16_t> t(65536);
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = linear_to_srgb16(static_cast<float>(i) / 65535.0f);
    return t;
  }();
  for (std::size_t i = 0; i + 3 < px.size(); i += 4) {
    const std::uint16_t a = px[i + 3];
    if (!premultiplied || a == 65535 || a == 0) {
      for (std::size_t k = 0; k < 3; ++k) px[i + k] = table[px[i + k]];
      continue;
    }
    const float inv = 1.0f / static_cast<float>(a);  // (c / 65535) / (a / 65535)
    for (std::size_t k = 0; k < 3; ++k) px[i + k] = linear_to_srgb16(static_cast<float>(px[i + k]) * inv);
  }
}

}  // namespace

bool frame_is_consistent(const RgbaFrame& f) {
  if (f.width <= 0 || f.height <= 0) return false;
  const std::size_t n = static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height) * 4;
  if (f.depth == 8) return f.pixels.size() == n;
  if (f.depth == 16) return f.pixels16.size() == n;
  return false;
}

StraightImage to_straight(RgbaFrame f) {
  StraightImage out{.width = f.width, .height = f.height, .depth = f.depth, .rgba8 = {}, .rgba16 = {}};
  if (f.depth == 16) {
    linear16_to_srgb16(f.pixels16, f.premultiplied);
    if (f.bottom_up) flip_rows(f.pixels16, f.width, f.height);
    out.rgba16 = std::move(f.pixels16);
  } else {
    if (f.premultiplied) unpremultiply_srgb_rgba8(f.pixels);
    if (f.bottom_up) flip_rows(f.pixels, f.width, f.height);
    out.rgba8 = std::move(f.pixels);
  }
  return out;
}

StraightImage to_depth8(StraightImage img) {
  if (img.depth != 16) return img;
  img.rgba8.resize(img.rgba16.size());
  for (std::size_t i = 0; i < img.rgba16.size(); ++i)
    img.rgba8[i] = static_cast<std::uint8_t>((static_cast<std::uint32_t>(img.rgba16[i]) * 255u + 32767u) / 65535u);
  img.rgba16 = {};
  img.depth = 8;
  return img;
}

}  // namespace renderq
