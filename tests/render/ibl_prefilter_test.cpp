// The GPU prefilter through IblCache, on whatever GL 4.5 context EGL gives
// (llvmpipe in CI): white-furnace uniformity, the BRDF LUT against an
// independent numerical integration, the studio environment's shape.
#include <catch2/catch.hpp>

#include <epoxy/gl.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "ibl_gl_context.hpp"
#include "render/ibl.hpp"

namespace {

std::unique_ptr<renderq::testing::GlTestContext> make_context() {
  std::string why;
  auto ctx = renderq::testing::GlTestContext::create(&why);
  INFO(why);
  REQUIRE(ctx);
  return ctx;
}

// One mip level of a texture as floats (cube maps: 6 faces in order).
std::vector<float> read_texture(unsigned tex, int level, int channels) {
  GLint w = 0, h = 0, d = 1;
  glGetTextureLevelParameteriv(tex, level, GL_TEXTURE_WIDTH, &w);
  glGetTextureLevelParameteriv(tex, level, GL_TEXTURE_HEIGHT, &h);
  GLint target = 0;
  glGetTextureParameteriv(tex, GL_TEXTURE_TARGET, &target);
  if (target == GL_TEXTURE_CUBE_MAP) d = 6;
  std::vector<float> out(static_cast<std::size_t>(w) * h * d * channels);
  glGetTextureImage(tex, level, channels == 2 ? GL_RG : GL_RGBA, GL_FLOAT,
                    static_cast<GLsizei>(out.size() * sizeof(float)), out.data());
  REQUIRE(glGetError() == GL_NO_ERROR);
  return out;
}

// Split-sum terms of the glTF BRDF by brute-force midpoint quadrature over
// the hemisphere of light directions (double precision, no importance
// sampling): an independent check of the shader's estimator.
void reference_lut(double n_dot_v, double roughness, double& scale, double& bias) {
  const double pi = std::numbers::pi;
  const double alpha = roughness * roughness, a2 = alpha * alpha;
  const double vx = std::sqrt(1 - n_dot_v * n_dot_v), vz = n_dot_v;
  const int nt = 600, np = 600;
  scale = bias = 0;
  for (int i = 0; i < nt; ++i) {
    const double theta = (i + 0.5) * (pi / 2) / nt;
    const double st = std::sin(theta), ct = std::cos(theta);
    for (int j = 0; j < np; ++j) {
      const double phi = (j + 0.5) * 2 * pi / np;
      const double lx = st * std::cos(phi), ly = st * std::sin(phi), lz = ct;
      double hx = lx + vx, hy = ly, hz = lz + vz;
      const double hl = std::sqrt(hx * hx + hy * hy + hz * hz);
      hx /= hl, hy /= hl, hz /= hl;
      const double v_dot_h = vx * hx + vz * hz;
      const double f = hz * hz * (a2 - 1) + 1;
      const double d = a2 / (pi * f * f);
      const double vis = 0.5 / (lz * std::sqrt(vz * vz * (1 - a2) + a2) +
                                vz * std::sqrt(lz * lz * (1 - a2) + a2));
      const double fc = std::pow(1 - v_dot_h, 5);
      const double w = d * vis * lz * st * (pi / 2 / nt) * (2 * pi / np);
      scale += (1 - fc) * w;
      bias += fc * w;
    }
  }
}

}  // namespace

TEST_CASE("a uniform environment prefilters to uniform cubes (white furnace)", "[ibl][gl]") {
  auto ctx = make_context();
  renderq::IblCache cache("");
  for (float radiance : {1.0f, 0.7f, 3.25f}) {
    INFO("radiance " << radiance);
    auto ibl = cache.get_uniform(radiance);
    REQUIRE(ibl);
    const renderq::IblTextures& t = **ibl;
    REQUIRE(t.specular_mips >= 5);
    for (int level = 0; level < t.specular_mips; ++level) {
      const std::vector<float> px = read_texture(t.specular_cube, level, 4);
      INFO("specular level " << level);
      REQUIRE(!px.empty());
      CHECK(px[0] == Approx(radiance).epsilon(0.01));
      bool uniform = true;
      for (std::size_t i = 0; i < px.size(); i += 4) {
        uniform = uniform && px[i] == px[0] && px[i + 1] == px[0] && px[i + 2] == px[0];
      }
      float lo = px[0], hi = px[0];
      for (std::size_t i = 0; i < px.size(); i += 4) {
        lo = std::min(lo, std::min(px[i], std::min(px[i + 1], px[i + 2])));
        hi = std::max(hi, std::max(px[i], std::max(px[i + 1], px[i + 2])));
      }
      INFO("min " << lo << " max " << hi);
      CHECK(uniform);
    }
    const std::vector<float> irr = read_texture(t.irradiance_cube, 0, 4);
    CHECK(irr[0] == Approx(radiance).epsilon(0.01));
    bool irr_uniform = true;
    for (std::size_t i = 0; i < irr.size(); i += 4) {
      irr_uniform = irr_uniform && irr[i] == irr[0] && irr[i + 1] == irr[0] && irr[i + 2] == irr[0];
    }
    CHECK(irr_uniform);
  }
  CHECK(cache.stats().prefilters == 3);
  auto again = cache.get_uniform(1.0f);
  REQUIRE(again);
  CHECK(cache.stats().memory_hits == 1);
  CHECK_FALSE(cache.get_uniform(-1.0f));
  CHECK_FALSE(cache.get_uniform(std::nanf("")));
}

TEST_CASE("the BRDF LUT matches the split-sum integral of the glTF BRDF", "[ibl][gl]") {
  auto ctx = make_context();
  renderq::IblCache cache("");
  auto ibl = cache.get_uniform(1.0f);
  REQUIRE(ibl);
  GLint size = 0;
  glGetTextureLevelParameteriv((*ibl)->brdf_lut, 0, GL_TEXTURE_WIDTH, &size);
  REQUIRE(size == 128);
  const std::vector<float> lut = read_texture((*ibl)->brdf_lut, 0, 2);
  auto at = [&](int x, int y, int c) { return lut[static_cast<std::size_t>((y * size + x) * 2 + c)]; };

  // A mirror facing the viewer reflects everything: scale 1, bias 0.
  CHECK(at(size - 1, 0, 0) == Approx(1.0).margin(0.01));
  CHECK(at(size - 1, 0, 1) == Approx(0.0).margin(0.01));
  // Smooth surfaces conserve energy at every angle: scale + bias = 1.
  for (int x = 8; x < size; x += 24) {
    INFO("NdotV texel " << x);
    CHECK(at(x, 0, 0) + at(x, 0, 1) == Approx(1.0).margin(0.02));
  }

  for (int y : {40, 64, 90, 127}) {
    for (int x : {10, 40, 64, 100, 127}) {
      const double n_dot_v = (x + 0.5) / size, roughness = (y + 0.5) / size;
      double scale = 0, bias = 0;
      reference_lut(n_dot_v, roughness, scale, bias);
      INFO("NdotV " << n_dot_v << " roughness " << roughness);
      CHECK(at(x, y, 0) == Approx(scale).margin(0.015));
      CHECK(at(x, y, 1) == Approx(bias).margin(0.015));
    }
  }
}

TEST_CASE("the studio environment is lit from above and stays neutral", "[ibl][gl][studio]") {
  auto ctx = make_context();
  renderq::IblCache cache("");
  auto ibl = cache.get("");
  REQUIRE(ibl);
  const std::vector<float> irr = read_texture((*ibl)->irradiance_cube, 0, 4);
  const std::size_t face = irr.size() / 6;
  const std::size_t centre = face / 2 + 32 * 2;  // about the middle texel of a face
  const float up = irr[2 * face + centre];        // +Y face
  const float down = irr[3 * face + centre];      // -Y face
  CHECK(up > 2 * down);
  for (std::size_t i = 0; i < irr.size(); i += 4) {
    REQUIRE(irr[i] == irr[i + 1]);
    REQUIRE(irr[i] == irr[i + 2]);
  }
  auto same = cache.get("");
  REQUIRE(same);
  CHECK(*same == *ibl);
  CHECK(cache.stats().memory_hits == 1);
}
