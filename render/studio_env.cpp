#include "render/studio_env.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace renderq {
namespace {

// A soft-edged rectangular light facing the origin: `axis` is its centre
// direction, (u, v) span its face; half sizes in tangent units. The edge
// falls off over `soft` so highlights are soft without aliasing the cube map.
struct Softbox {
  float axis[3];
  float u[3];
  float v[3];
  float half_u, half_v, soft, radiance;
};

float dot3(const float a[3], const float b[3]) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

float smoothstep(float e0, float e1, float x) {
  const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
  return t * t * (3.0f - 2.0f * t);
}

float softbox(const Softbox& b, const float d[3]) {
  const float c = dot3(d, b.axis);
  if (c <= 0.05f) return 0.0f;
  // Project onto the light's plane (gnomonic), so the light is a rectangle.
  const float pu = dot3(d, b.u) / c;
  const float pv = dot3(d, b.v) / c;
  const float mu = 1.0f - smoothstep(b.half_u - b.soft, b.half_u + b.soft, std::fabs(pu));
  const float mv = 1.0f - smoothstep(b.half_v - b.soft, b.half_v + b.soft, std::fabs(pv));
  return b.radiance * mu * mv;
}

// Overhead: a broad light straight above. Key: left-front, fill: right, both
// slightly above the horizon. Vectors are unit length and orthogonal.
constexpr float kS = 0.70710678f;
const Softbox kLights[] = {
    {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}, 0.55f, 0.40f, 0.12f, 6.0f},
    {{-kS * 0.94f, 0.34f, kS * 0.94f}, {kS, 0, kS}, {0.34f * kS, 0.94f, -0.34f * kS},
     0.35f, 0.50f, 0.10f, 4.0f},
    {{0.94f, 0.34f, 0}, {0, 0, 1}, {-0.34f, 0.94f, 0}, 0.30f, 0.45f, 0.10f, 2.0f},
};

}  // namespace

void studio_radiance(float x, float y, float z, float out[3]) {
  const float d[3] = {x, y, z};
  // Neutral grey gradient: floor 0.18, horizon 0.45, zenith 0.75.
  float base;
  if (y >= 0.0f) {
    base = 0.45f + 0.30f * std::sqrt(y);
  } else {
    base = 0.45f - 0.27f * smoothstep(0.0f, 0.25f, -y);
  }
  float light = 0.0f;
  for (const Softbox& b : kLights) light += softbox(b, d);
  out[0] = out[1] = out[2] = base + light;
}

HdrImage make_studio_environment(int height) {
  HdrImage image;
  image.height = std::max(height, 2);
  image.width = image.height * 2;
  image.rgb.resize(static_cast<std::size_t>(image.width) * image.height * 3);
  constexpr float kPi = std::numbers::pi_v<float>;
  // Each pixel averages a 2x2 grid of directions: cheap anti-aliasing of the
  // softbox edges, and still deterministic.
  for (int row = 0; row < image.height; ++row) {
    for (int col = 0; col < image.width; ++col) {
      float sum[3] = {0, 0, 0};
      for (int sy = 0; sy < 2; ++sy) {
        for (int sx = 0; sx < 2; ++sx) {
          const float v = (static_cast<float>(row) + 0.25f + 0.5f * static_cast<float>(sy)) /
                          static_cast<float>(image.height);
          const float u = (static_cast<float>(col) + 0.25f + 0.5f * static_cast<float>(sx)) /
                          static_cast<float>(image.width);
          const float theta = v * kPi;            // 0 at +Y
          const float phi = (u - 0.5f) * 2 * kPi;  // atan2(z, x)
          const float s = std::sin(theta);
          float r[3];
          studio_radiance(s * std::cos(phi), std::cos(theta), s * std::sin(phi), r);
          for (int c = 0; c < 3; ++c) sum[c] += r[c];
        }
      }
      float* out = &image.rgb[(static_cast<std::size_t>(row) * image.width + col) * 3];
      for (int c = 0; c < 3; ++c) out[c] = sum[c] * 0.25f;
    }
  }
  return image;
}

}  // namespace renderq
