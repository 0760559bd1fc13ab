// The GPU prefilter through IblCache, on whatever GL 4.5 context EGL gives
// (llvmpipe in CI): white-furnace uniformity, the BRDF LUT against an
// independent numerical integration, the studio environment's shape.
#include <catch2/catch.hpp>

#include <epoxy/gl.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <vector>

#include "ibl_gl_context.hpp"
#include "render/hdr_image.hpp"
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

namespace {

// Samples `cube` at `dirs` through GL's own cube-map addressing (a compute
// shader writing to a buffer), so the test checks the prefilter's face
// table against the driver rather than against itself.
std::vector<float> sample_cube(unsigned cube, float lod, const std::vector<float>& dirs) {
  const char* src = R"(#version 450 core
layout(local_size_x = 1) in;
layout(binding = 0) uniform samplerCube u_cube;
layout(std430, binding = 0) readonly buffer Dirs { vec4 dirs[]; };
layout(std430, binding = 1) writeonly buffer Out { vec4 result[]; };
uniform float u_lod;
void main() {
  uint i = gl_GlobalInvocationID.x;
  result[i] = textureLod(u_cube, dirs[i].xyz, u_lod);
})";
  const GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
  glShaderSource(shader, 1, &src, nullptr);
  glCompileShader(shader);
  const GLuint program = glCreateProgram();
  glAttachShader(program, shader);
  glLinkProgram(program);
  glDeleteShader(shader);
  const std::size_t n = dirs.size() / 3;
  std::vector<float> in(n * 4), out(n * 4);
  for (std::size_t i = 0; i < n; ++i) {
    for (int c = 0; c < 3; ++c) in[i * 4 + c] = dirs[i * 3 + c];
  }
  GLuint buffers[2];
  glCreateBuffers(2, buffers);
  glNamedBufferData(buffers[0], static_cast<GLsizeiptr>(in.size() * 4), in.data(), GL_STATIC_DRAW);
  glNamedBufferData(buffers[1], static_cast<GLsizeiptr>(out.size() * 4), nullptr, GL_STATIC_READ);
  glUseProgram(program);
  glProgramUniform1f(program, glGetUniformLocation(program, "u_lod"), lod);
  glBindTextureUnit(0, cube);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, buffers[0]);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, buffers[1]);
  glDispatchCompute(static_cast<GLuint>(n), 1, 1);
  glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
  glGetNamedBufferSubData(buffers[1], 0, static_cast<GLsizeiptr>(out.size() * 4), out.data());
  glUseProgram(0);
  glDeleteBuffers(2, buffers);
  glDeleteProgram(program);
  REQUIRE(glGetError() == GL_NO_ERROR);
  return out;
}

}  // namespace

TEST_CASE("cube faces point where the equirect says (orientation)", "[ibl][gl]") {
  auto ctx = make_context();
  // An equirect whose radiance encodes its direction: (1+x, 1+y, 1+z) with
  // the documented mapping u = atan2(z, x)/2pi + 0.5, v = acos(y)/pi.
  renderq::HdrImage image;
  image.width = 512;
  image.height = 256;
  image.rgb.resize(512 * 256 * 3);
  const double pi = std::numbers::pi;
  for (int row = 0; row < image.height; ++row) {
    for (int col = 0; col < image.width; ++col) {
      const double theta = (row + 0.5) / image.height * pi;
      const double phi = ((col + 0.5) / image.width - 0.5) * 2 * pi;
      float* p = &image.rgb[static_cast<std::size_t>((row * image.width + col) * 3)];
      p[0] = static_cast<float>(1 + std::sin(theta) * std::cos(phi));
      p[1] = static_cast<float>(1 + std::cos(theta));
      p[2] = static_cast<float>(1 + std::sin(theta) * std::sin(phi));
    }
  }
  const auto tmp = std::filesystem::temp_directory_path() /
                   ("renderq-ibl-orient-" + std::to_string(::getpid()) + ".hdr");
  {
    const std::vector<std::uint8_t> bytes = renderq::encode_hdr(image);
    std::ofstream(tmp, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  renderq::IblCache cache("");
  auto ibl = cache.get(tmp.string());
  std::filesystem::remove(tmp);
  REQUIRE(ibl);
  // Directions off every axis and off face centres, where a flipped s or t
  // would show.
  std::vector<float> dirs;
  for (float x : {-0.8f, -0.3f, 0.4f, 0.9f}) {
    for (float y : {-0.7f, 0.2f, 0.85f}) {
      for (float z : {-0.9f, -0.1f, 0.5f}) {
        const float len = std::sqrt(x * x + y * y + z * z);
        dirs.insert(dirs.end(), {x / len, y / len, z / len});
      }
    }
  }
  const std::vector<float> got = sample_cube((*ibl)->specular_cube, 0.0f, dirs);
  for (std::size_t i = 0; i < dirs.size() / 3; ++i) {
    INFO("direction " << dirs[i * 3] << ", " << dirs[i * 3 + 1] << ", " << dirs[i * 3 + 2]);
    for (int c = 0; c < 3; ++c) CHECK(got[i * 4 + c] == Approx(1 + dirs[i * 3 + c]).margin(0.03));
  }
}

TEST_CASE("a tiny bright sun prefilters without fireflies", "[ibl][gl]") {
  auto ctx = make_context();
  // A dim sky with a 2x2-pixel sun 4e5 times brighter: the case where plain
  // importance sampling speckles, because a texel either hits the sun with
  // one sample or misses it.
  renderq::HdrImage image;
  image.width = 1024;
  image.height = 512;
  image.rgb.assign(1024 * 512 * 3, 0.05f);
  for (int row = 150; row < 152; ++row) {
    for (int col = 300; col < 302; ++col) {
      for (int c = 0; c < 3; ++c) image.rgb[static_cast<std::size_t>((row * 1024 + col) * 3 + c)] = 20000.0f;
    }
  }
  const auto tmp = std::filesystem::temp_directory_path() /
                   ("renderq-ibl-sun-" + std::to_string(::getpid()) + ".hdr");
  {
    const std::vector<std::uint8_t> bytes = renderq::encode_hdr(image);
    std::ofstream(tmp, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  renderq::IblCache cache("");
  auto ibl = cache.get(tmp.string());
  std::filesystem::remove(tmp);
  REQUIRE(ibl);
  // Smoothness: neighbouring texels of a rough level differ by a bounded
  // ratio (a firefly is a texel far above both of its neighbours).
  for (int level = 2; level < (*ibl)->specular_mips; ++level) {
    const std::vector<float> px = read_texture((*ibl)->specular_cube, level, 4);
    const int size = 128 >> level;
    double worst = 0;
    for (int face = 0; face < 6; ++face) {
      for (int y = 0; y < size; ++y) {
        for (int x = 1; x + 1 < size; ++x) {
          auto at = [&](int xx) {
            return px[static_cast<std::size_t>(((face * size + y) * size + xx) * 4)];
          };
          const double spike = at(x) / std::max(at(x - 1), at(x + 1));
          worst = std::max(worst, spike);
        }
      }
    }
    INFO("level " << level << " worst texel / brighter neighbour " << worst);
    CHECK(worst < 1.5);
  }
}
