#include "render/color.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace renderq {

float srgb_to_linear(float c) {
  return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

float linear_to_srgb(float c) {
  return c <= 0.0031308f ? c * 12.92f : 1.055f * std::pow(c, 1.0f / 2.4f) - 0.055f;
}

std::uint8_t linear_to_srgb8(float c) {
  float s = linear_to_srgb(std::clamp(c, 0.0f, 1.0f));
  return static_cast<std::uint8_t>(std::lround(s * 255.0f));
}

glm::vec3 tonemap_pbr_neutral(glm::vec3 color) {
  const float start_compression = 0.8f - 0.04f;
  const float desaturation = 0.15f;
  float x = std::min(color.r, std::min(color.g, color.b));
  float offset = x < 0.08f ? x - 6.25f * x * x : 0.04f;
  color -= offset;
  float peak = std::max(color.r, std::max(color.g, color.b));
  if (peak < start_compression) return color;
  float d = 1.0f - start_compression;
  float new_peak = 1.0f - d * d / (peak + d - start_compression);
  color *= new_peak / peak;
  float g = 1.0f - 1.0f / (desaturation * (peak - new_peak) + 1.0f);
  return glm::mix(color, glm::vec3(new_peak), g);
}

glm::vec3 tonemap_aces(glm::vec3 color) {
  const glm::mat3 aces_in(0.59719f, 0.07600f, 0.02840f, 0.35458f, 0.90834f, 0.13383f, 0.04823f, 0.01566f, 0.83777f);
  const glm::mat3 aces_out(1.60475f, -0.10208f, -0.00327f, -0.53108f, 1.10813f, -0.07276f, -0.07367f, -0.00605f,
                           1.07602f);
  color /= 0.6f;
  color = aces_in * color;
  glm::vec3 a = color * (color + 0.0245786f) - 0.000090537f;
  glm::vec3 b = color * (0.983729f * color + 0.4329510f) + 0.238081f;
  return glm::clamp(aces_out * (a / b), 0.0f, 1.0f);
}

glm::vec3 apply_tonemap(ToneMap t, double exposure_ev, glm::vec3 color) {
  color *= static_cast<float>(std::exp2(exposure_ev));
  switch (t) {
    case ToneMap::PbrNeutral: return glm::clamp(tonemap_pbr_neutral(color), 0.0f, 1.0f);
    case ToneMap::Aces: return tonemap_aces(color);
    case ToneMap::None: return glm::clamp(color, 0.0f, 1.0f);
  }
  return color;
}

void unpremultiply_srgb_rgba8(std::span<std::uint8_t> rgba) {
  static const std::array<float, 256> decode = [] {
    std::array<float, 256> t{};
    for (int i = 0; i < 256; ++i) t[static_cast<std::size_t>(i)] = srgb_to_linear(static_cast<float>(i) / 255.0f);
    return t;
  }();
  for (std::size_t i = 0; i + 3 < rgba.size(); i += 4) {
    std::uint8_t a = rgba[i + 3];
    if (a == 255 || a == 0) continue;  // opaque, or empty (colour already 0)
    float inv = 255.0f / static_cast<float>(a);
    for (std::size_t k = 0; k < 3; ++k) rgba[i + k] = linear_to_srgb8(decode[rgba[i + k]] * inv);
  }
}

}  // namespace renderq
