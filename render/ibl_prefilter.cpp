#include "render/ibl_prefilter.hpp"

#include <epoxy/gl.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <string_view>
#include <utility>

#include "render/shaders/ibl_shaders.hpp"

namespace renderq {
namespace {

constexpr int kGroup = 8;  // local_size_x/y of every IBL compute shader

GLuint groups(int size) { return static_cast<GLuint>((size + kGroup - 1) / kGroup); }

int mip_count(int width, int height) {
  int levels = 1;
  for (int s = std::max(width, height); s > 1; s /= 2) ++levels;
  return levels;
}

Result<GLuint> compile_compute(std::string_view body, const char* name) {
  const std::string source = "#version 450 core\n" + std::string(shaders::ibl_common_glsl) +
                             "\n#line 1\n" + std::string(body);
  const GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  std::string log(4096, '\0');
  GLsizei len = 0;
  if (!ok) {
    glGetShaderInfoLog(shader, static_cast<GLsizei>(log.size()), &len, log.data());
    glDeleteShader(shader);
    log.resize(static_cast<std::size_t>(len));
    return fail(Errc::ShaderCompile, std::string(name) + ": " + log);
  }
  const GLuint program = glCreateProgram();
  glAttachShader(program, shader);
  glLinkProgram(program);
  glDeleteShader(shader);
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    glGetProgramInfoLog(program, static_cast<GLsizei>(log.size()), &len, log.data());
    glDeleteProgram(program);
    log.resize(static_cast<std::size_t>(len));
    return fail(Errc::ShaderCompile, std::string(name) + " (link): " + log);
  }
  return program;
}

// Drains the GL error queue; the first error fails the step.
Result<void> check_gl(const char* step) {
  GLenum first = GL_NO_ERROR;
  for (GLenum e = glGetError(); e != GL_NO_ERROR; e = glGetError()) {
    if (first == GL_NO_ERROR) first = e;
  }
  if (first == GL_NO_ERROR) return {};
  if (first == GL_OUT_OF_MEMORY) return fail(Errc::OutOfMemoryBudget, std::string(step) + ": GL out of memory");
  char code[16];
  std::snprintf(code, sizeof code, "0x%04x", first);
  return fail(Errc::Internal, std::string(step) + ": GL error " + code);
}

void set_int(GLuint program, const char* name, int value) {
  glProgramUniform1i(program, glGetUniformLocation(program, name), value);
}
void set_float(GLuint program, const char* name, float value) {
  glProgramUniform1f(program, glGetUniformLocation(program, name), value);
}

GLuint make_cube(int size, int levels) {
  GLuint tex = 0;
  glCreateTextures(GL_TEXTURE_CUBE_MAP, 1, &tex);
  glTextureStorage2D(tex, levels, GL_RGBA16F, size, size);
  glTextureParameteri(tex, GL_TEXTURE_MIN_FILTER, levels > 1 ? GL_LINEAR_MIPMAP_LINEAR : GL_LINEAR);
  glTextureParameteri(tex, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTextureParameteri(tex, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTextureParameteri(tex, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glTextureParameteri(tex, GL_TEXTURE_WRAP_R, GL_CLAMP_TO_EDGE);
  glTextureParameteri(tex, GL_TEXTURE_MAX_LEVEL, levels - 1);
  return tex;
}

// One level: the equirect is already box-filtered to at most four times the
// environment cube's size, and generating mips costs llvmpipe a blit-shader
// compile (~0.4 s) in a process that only loads cached results.
GLuint make_background(int width, int height) {
  GLuint tex = 0;
  glCreateTextures(GL_TEXTURE_2D, 1, &tex);
  glTextureStorage2D(tex, 1, GL_RGBA16F, width, height);
  glTextureParameteri(tex, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTextureParameteri(tex, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTextureParameteri(tex, GL_TEXTURE_WRAP_S, GL_REPEAT);        // longitude wraps
  glTextureParameteri(tex, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE); // poles do not
  return tex;
}

GLuint make_lut(int size) {
  GLuint tex = 0;
  glCreateTextures(GL_TEXTURE_2D, 1, &tex);
  glTextureStorage2D(tex, 1, GL_RG16F, size, size);
  glTextureParameteri(tex, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTextureParameteri(tex, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTextureParameteri(tex, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTextureParameteri(tex, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return tex;
}

CacheLevel read_level(GLuint tex, int level, int size_w, int size_h, int layers, GLenum format) {
  const int channels = format == GL_RG16F ? 2 : 4;
  CacheLevel out{.width = static_cast<std::uint32_t>(size_w),
                 .height = static_cast<std::uint32_t>(size_h),
                 .layers = static_cast<std::uint32_t>(layers),
                 .format = format,
                 .bytes = {}};
  out.bytes.resize(static_cast<std::size_t>(size_w) * size_h * layers * channels * 2);
  glGetTextureImage(tex, level, channels == 2 ? GL_RG : GL_RGBA, GL_HALF_FLOAT,
                    static_cast<GLsizei>(out.bytes.size()), out.bytes.data());
  return out;
}

bool level_is(const CacheLevel& l, int w, int h, int layers, GLenum format) {
  const std::size_t channels = format == GL_RG16F ? 2 : 4;
  return l.width == static_cast<std::uint32_t>(w) && l.height == static_cast<std::uint32_t>(h) &&
         l.layers == static_cast<std::uint32_t>(layers) && l.format == format &&
         l.bytes.size() == static_cast<std::size_t>(w) * h * layers * channels * 2;
}

void upload_level(GLuint tex, int level, const CacheLevel& l) {
  const GLenum format = l.format == GL_RG16F ? GL_RG : GL_RGBA;
  if (l.layers == 6) {
    glTextureSubImage3D(tex, level, 0, 0, 0, static_cast<GLsizei>(l.width),
                        static_cast<GLsizei>(l.height), 6, format, GL_HALF_FLOAT, l.bytes.data());
  } else {
    glTextureSubImage2D(tex, level, 0, 0, static_cast<GLsizei>(l.width),
                        static_cast<GLsizei>(l.height), format, GL_HALF_FLOAT, l.bytes.data());
  }
}

void unbind_all() {
  glUseProgram(0);
  glBindImageTexture(0, 0, 0, GL_FALSE, 0, GL_WRITE_ONLY, GL_RGBA16F);
  glBindTextureUnit(0, 0);
}

}  // namespace

std::string IblSizes::key_text() const {
  return "env=" + std::to_string(env) + " spec=" + std::to_string(specular) + "x" +
         std::to_string(specular_mips) + " irr=" + std::to_string(irradiance) +
         " lut=" + std::to_string(lut) + " samples=" + std::to_string(specular_samples) + "/" +
         std::to_string(irradiance_samples) + "/" + std::to_string(lut_samples) +
         " bg=" + std::to_string(background_max_width);
}

void delete_textures(EnvTextureSet& set) {
  const GLuint names[] = {set.specular, set.irradiance, set.background};
  glDeleteTextures(3, names);
  set = {};
}

std::uint16_t float_to_half(float value) {
  std::uint32_t x = std::bit_cast<std::uint32_t>(value);
  const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
  x &= 0x7fffffffu;
  if (x > 0x7f800000u) return sign | 0x7e00u;   // NaN
  if (x >= 0x477ff000u) return sign | 0x7c00u;  // rounds to infinity
  if (x < 0x38800000u) {
    // Subnormal half (or zero): the value in units of 2^-24, rounded to even.
    const float v = std::bit_cast<float>(x);
    return static_cast<std::uint16_t>(sign | static_cast<std::uint16_t>(std::nearbyint(v * 16777216.0f)));
  }
  x -= 0x38000000u;                  // rebias the exponent from 127 to 15
  x += 0x0fffu + ((x >> 13) & 1u);   // round to nearest, ties to even
  return static_cast<std::uint16_t>(sign | (x >> 13));
}

std::vector<std::uint16_t> equirect_half_for_upload(const HdrImage& image, int max_width,
                                                    int& width, int& height) {
  // The halving factor, then one pass that box-filters factor x factor blocks
  // straight into half floats: no full-size temporary (fresh memory is what
  // costs most here; page faults dominated a two-pass version).
  int factor = 1;
  while (image.width / factor > max_width && image.width / factor > 1 &&
         image.height / factor > 1) {
    factor *= 2;
  }
  width = image.width / factor;
  height = image.height / factor;
  const float norm = 1.0f / static_cast<float>(factor * factor);
  const auto src_w = static_cast<std::size_t>(image.width);
  std::vector<std::uint16_t> out(static_cast<std::size_t>(width) * height * 4);
  std::vector<float> row(static_cast<std::size_t>(width) * 3);
  for (int y = 0; y < height; ++y) {
    std::fill(row.begin(), row.end(), 0.0f);
    for (int sy = y * factor; sy < (y + 1) * factor; ++sy) {
      const float* src = &image.rgb[static_cast<std::size_t>(sy) * src_w * 3];
      for (int x = 0; x < width; ++x) {
        for (int sx = x * factor; sx < (x + 1) * factor; ++sx) {
          for (int c = 0; c < 3; ++c) {
            const float v = src[static_cast<std::size_t>(sx) * 3 + c];
            row[static_cast<std::size_t>(x) * 3 + c] +=
                std::isfinite(v) ? std::clamp(v, 0.0f, 65504.0f) : 0.0f;
          }
        }
      }
    }
    std::uint16_t* dst = &out[static_cast<std::size_t>(y) * width * 4];
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < 3; ++c) {
        dst[x * 4 + c] = float_to_half(std::min(row[static_cast<std::size_t>(x) * 3 + c] * norm, 65504.0f));
      }
      dst[x * 4 + 3] = 0x3c00;  // 1.0
    }
  }
  return out;
}

Result<IblPrefilter> IblPrefilter::create(IblSizes sizes) {
  IblPrefilter p;
  p.sizes_ = sizes;
  return p;
}

Result<void> IblPrefilter::compile(unsigned& slot, int which) const {
  if (slot != 0) return {};
  struct Source {
    std::string_view text;
    const char* name;
  };
  static constexpr int kCount = 5;
  const Source sources[kCount] = {
      {shaders::ibl_equirect_to_cube_comp, "ibl_equirect_to_cube.comp"},
      {shaders::ibl_specular_comp, "ibl_specular.comp"},
      {shaders::ibl_irradiance_comp, "ibl_irradiance.comp"},
      {shaders::ibl_brdf_lut_comp, "ibl_brdf_lut.comp"},
      {shaders::ibl_cube_downsample_comp, "ibl_cube_downsample.comp"},
  };
  auto program = compile_compute(sources[which].text, sources[which].name);
  if (!program) return std::unexpected(program.error());
  slot = *program;
  return {};
}

IblPrefilter::IblPrefilter(IblPrefilter&& o) noexcept
    : sizes_(o.sizes_),
      equirect_to_cube_(std::exchange(o.equirect_to_cube_, 0)),
      specular_(std::exchange(o.specular_, 0)),
      irradiance_(std::exchange(o.irradiance_, 0)),
      brdf_lut_(std::exchange(o.brdf_lut_, 0)),
      downsample_(std::exchange(o.downsample_, 0)) {}

IblPrefilter::~IblPrefilter() {
  for (GLuint program : {equirect_to_cube_, specular_, irradiance_, brdf_lut_, downsample_}) {
    if (program != 0) glDeleteProgram(program);
  }
}

Result<EnvTextureSet> IblPrefilter::prefilter(const HdrImage& image, std::string* timings) const {
  // Per-pass wall times (with glFinish) when asked for.
  auto t0 = std::chrono::steady_clock::now();
  auto lap = [&](const char* pass) {
    if (!timings) return;
    glFinish();
    const auto now = std::chrono::steady_clock::now();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%s %.1f ms", timings->empty() ? "" : ", ", pass,
                  std::chrono::duration<double, std::milli>(now - t0).count());
    *timings += buf;
    t0 = now;
  };
  for (auto [slot, which] : {std::pair{&equirect_to_cube_, 0}, std::pair{&specular_, 1},
                             std::pair{&irradiance_, 2}, std::pair{&downsample_, 4}}) {
    if (auto ok = compile(*slot, which); !ok) return std::unexpected(ok.error());
  }
  glEnable(GL_TEXTURE_CUBE_MAP_SEAMLESS);
  static_cast<void>(check_gl("before IBL prefilter"));  // not ours: clear stale errors
  EnvTextureSet set;
  set.specular_mips = sizes_.specular_mips;

  // 1. The source, box-filtered to the background size, with mips.
  int bw = 0, bh = 0;
  const std::vector<std::uint16_t> half =
      equirect_half_for_upload(image, sizes_.background_max_width, bw, bh);
  lap("convert");
  set.background = make_background(bw, bh);
  glTextureSubImage2D(set.background, 0, 0, 0, bw, bh, GL_RGBA, GL_HALF_FLOAT, half.data());
  lap("upload");

  // 2. Environment cube with its mip chain. A face spans a quarter of the
  // equirect's width, so with background_max_width <= 4 * env the 2x2
  // samples per texel cover the source without aliasing.
  const int env_levels = mip_count(sizes_.env, sizes_.env);
  const GLuint env = make_cube(sizes_.env, env_levels);
  glUseProgram(equirect_to_cube_);
  set_int(equirect_to_cube_, "u_size", sizes_.env);
  glBindTextureUnit(0, set.background);
  glBindImageTexture(0, env, 0, GL_TRUE, 0, GL_WRITE_ONLY, GL_RGBA16F);
  glDispatchCompute(groups(sizes_.env), groups(sizes_.env), 6);
  glUseProgram(downsample_);
  for (int level = 1; level < env_levels; ++level) {
    const int size = std::max(sizes_.env >> level, 1);
    glMemoryBarrier(GL_SHADER_IMAGE_ACCESS_BARRIER_BIT);
    set_int(downsample_, "u_size", size);
    glBindImageTexture(1, env, level - 1, GL_TRUE, 0, GL_READ_ONLY, GL_RGBA16F);
    glBindImageTexture(0, env, level, GL_TRUE, 0, GL_WRITE_ONLY, GL_RGBA16F);
    glDispatchCompute(groups(size), groups(size), 6);
  }
  glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT | GL_SHADER_IMAGE_ACCESS_BARRIER_BIT);
  glBindImageTexture(1, 0, 0, GL_FALSE, 0, GL_READ_ONLY, GL_RGBA16F);
  glBindTextureUnit(0, env);
  lap("cube");

  // 3. Specular levels: roughness i / (mips - 1).
  set.specular = make_cube(sizes_.specular, sizes_.specular_mips);
  glUseProgram(specular_);
  set_float(specular_, "u_env_size", static_cast<float>(sizes_.env));
  set_float(specular_, "u_env_max_lod", static_cast<float>(env_levels - 1));
  set_int(specular_, "u_samples", sizes_.specular_samples);
  for (int level = 0; level < sizes_.specular_mips; ++level) {
    const int size = std::max(sizes_.specular >> level, 1);
    set_int(specular_, "u_size", size);
    set_float(specular_, "u_roughness",
              sizes_.specular_mips > 1
                  ? static_cast<float>(level) / static_cast<float>(sizes_.specular_mips - 1)
                  : 0.0f);
    glBindImageTexture(0, set.specular, level, GL_TRUE, 0, GL_WRITE_ONLY, GL_RGBA16F);
    glDispatchCompute(groups(size), groups(size), 6);
  }
  lap("specular");

  // 4. Irradiance.
  set.irradiance = make_cube(sizes_.irradiance, 1);
  glUseProgram(irradiance_);
  set_int(irradiance_, "u_size", sizes_.irradiance);
  set_float(irradiance_, "u_env_size", static_cast<float>(sizes_.env));
  set_float(irradiance_, "u_env_max_lod", static_cast<float>(env_levels - 1));
  set_int(irradiance_, "u_samples", sizes_.irradiance_samples);
  glBindImageTexture(0, set.irradiance, 0, GL_TRUE, 0, GL_WRITE_ONLY, GL_RGBA16F);
  glDispatchCompute(groups(sizes_.irradiance), groups(sizes_.irradiance), 6);
  glMemoryBarrier(GL_ALL_BARRIER_BITS);
  lap("irradiance");

  unbind_all();
  glDeleteTextures(1, &env);
  if (auto ok = check_gl("IBL prefilter"); !ok) {
    delete_textures(set);
    return std::unexpected(ok.error());
  }
  return set;
}

Result<unsigned> IblPrefilter::make_brdf_lut() const {
  if (auto ok = compile(brdf_lut_, 3); !ok) return std::unexpected(ok.error());
  static_cast<void>(check_gl("before BRDF LUT"));
  const GLuint lut = make_lut(sizes_.lut);
  glUseProgram(brdf_lut_);
  set_int(brdf_lut_, "u_size", sizes_.lut);
  set_int(brdf_lut_, "u_samples", sizes_.lut_samples);
  glBindImageTexture(0, lut, 0, GL_FALSE, 0, GL_WRITE_ONLY, GL_RG16F);
  glDispatchCompute(groups(sizes_.lut), groups(sizes_.lut), 1);
  glMemoryBarrier(GL_ALL_BARRIER_BITS);
  unbind_all();
  if (auto ok = check_gl("BRDF LUT"); !ok) {
    glDeleteTextures(1, &lut);
    return std::unexpected(ok.error());
  }
  return lut;
}

std::vector<CacheLevel> IblPrefilter::env_to_levels(const EnvTextureSet& set) const {
  std::vector<CacheLevel> levels;
  for (int level = 0; level < set.specular_mips; ++level) {
    const int size = std::max(sizes_.specular >> level, 1);
    levels.push_back(read_level(set.specular, level, size, size, 6, GL_RGBA16F));
  }
  levels.push_back(read_level(set.irradiance, 0, sizes_.irradiance, sizes_.irradiance, 6, GL_RGBA16F));
  GLint bw = 0, bh = 0;
  glGetTextureLevelParameteriv(set.background, 0, GL_TEXTURE_WIDTH, &bw);
  glGetTextureLevelParameteriv(set.background, 0, GL_TEXTURE_HEIGHT, &bh);
  levels.push_back(read_level(set.background, 0, bw, bh, 1, GL_RGBA16F));
  return levels;
}

Result<EnvTextureSet> IblPrefilter::env_from_levels(const std::vector<CacheLevel>& levels) const {
  const std::size_t n = static_cast<std::size_t>(sizes_.specular_mips);
  if (levels.size() != n + 2) return fail(Errc::Io, "IBL cache entry has the wrong level count");
  for (std::size_t i = 0; i < n; ++i) {
    const int size = std::max(sizes_.specular >> i, 1);
    if (!level_is(levels[i], size, size, 6, GL_RGBA16F)) {
      return fail(Errc::Io, "IBL cache entry: specular level shape mismatch");
    }
  }
  if (!level_is(levels[n], sizes_.irradiance, sizes_.irradiance, 6, GL_RGBA16F)) {
    return fail(Errc::Io, "IBL cache entry: irradiance shape mismatch");
  }
  const CacheLevel& bg = levels[n + 1];
  if (bg.width == 0 || bg.height == 0 || bg.width > 16384 || bg.height > 16384 ||
      !level_is(bg, static_cast<int>(bg.width), static_cast<int>(bg.height), 1, GL_RGBA16F)) {
    return fail(Errc::Io, "IBL cache entry: background shape mismatch");
  }
  glEnable(GL_TEXTURE_CUBE_MAP_SEAMLESS);
  static_cast<void>(check_gl("before IBL upload"));
  EnvTextureSet set;
  set.specular_mips = sizes_.specular_mips;
  set.specular = make_cube(sizes_.specular, sizes_.specular_mips);
  for (std::size_t i = 0; i < n; ++i) upload_level(set.specular, static_cast<int>(i), levels[i]);
  set.irradiance = make_cube(sizes_.irradiance, 1);
  upload_level(set.irradiance, 0, levels[n]);
  set.background = make_background(static_cast<int>(bg.width), static_cast<int>(bg.height));
  upload_level(set.background, 0, bg);
  if (auto ok = check_gl("IBL upload"); !ok) {
    delete_textures(set);
    return std::unexpected(ok.error());
  }
  return set;
}

std::vector<CacheLevel> IblPrefilter::lut_to_levels(unsigned lut) const {
  return {read_level(lut, 0, sizes_.lut, sizes_.lut, 1, GL_RG16F)};
}

Result<unsigned> IblPrefilter::lut_from_levels(const std::vector<CacheLevel>& levels) const {
  if (levels.size() != 1 || !level_is(levels[0], sizes_.lut, sizes_.lut, 1, GL_RG16F)) {
    return fail(Errc::Io, "BRDF LUT cache entry shape mismatch");
  }
  static_cast<void>(check_gl("before BRDF LUT upload"));
  const GLuint lut = make_lut(sizes_.lut);
  upload_level(lut, 0, levels[0]);
  if (auto ok = check_gl("BRDF LUT upload"); !ok) {
    glDeleteTextures(1, &lut);
    return std::unexpected(ok.error());
  }
  return lut;
}

}  // namespace renderq
