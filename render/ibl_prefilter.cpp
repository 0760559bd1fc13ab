#include "render/ibl_prefilter.hpp"

#include <epoxy/gl.h>

#include <algorithm>
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

GLuint make_background(int width, int height) {
  GLuint tex = 0;
  glCreateTextures(GL_TEXTURE_2D, 1, &tex);
  glTextureStorage2D(tex, mip_count(width, height), GL_RGBA16F, width, height);
  glTextureParameteri(tex, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
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

std::vector<float> equirect_rgba_for_upload(const HdrImage& image, int max_width, int& width,
                                            int& height) {
  width = image.width;
  height = image.height;
  std::vector<float> rgba(static_cast<std::size_t>(width) * height * 4);
  for (std::size_t i = 0, n = static_cast<std::size_t>(width) * height; i < n; ++i) {
    for (int c = 0; c < 3; ++c) {
      const float v = image.rgb[i * 3 + c];
      rgba[i * 4 + c] = std::isfinite(v) ? std::clamp(v, 0.0f, 65504.0f) : 0.0f;
    }
    rgba[i * 4 + 3] = 1.0f;
  }
  // Halve (2x2 box, odd edges folded in) until it fits.
  while (width > max_width && width > 1 && height > 1) {
    const int nw = width / 2, nh = height / 2;
    std::vector<float> next(static_cast<std::size_t>(nw) * nh * 4);
    for (int y = 0; y < nh; ++y) {
      for (int x = 0; x < nw; ++x) {
        for (int c = 0; c < 4; ++c) {
          auto at = [&](int xx, int yy) {
            return rgba[(static_cast<std::size_t>(yy) * width + xx) * 4 + c];
          };
          next[(static_cast<std::size_t>(y) * nw + x) * 4 + c] =
              0.25f * (at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) +
                       at(2 * x + 1, 2 * y + 1));
        }
      }
    }
    rgba = std::move(next);
    width = nw;
    height = nh;
  }
  return rgba;
}

Result<IblPrefilter> IblPrefilter::create(IblSizes sizes) {
  IblPrefilter p;
  p.sizes_ = sizes;
  const std::pair<unsigned*, std::pair<std::string_view, const char*>> programs[] = {
      {&p.equirect_to_cube_, {shaders::ibl_equirect_to_cube_comp, "ibl_equirect_to_cube.comp"}},
      {&p.specular_, {shaders::ibl_specular_comp, "ibl_specular.comp"}},
      {&p.irradiance_, {shaders::ibl_irradiance_comp, "ibl_irradiance.comp"}},
      {&p.brdf_lut_, {shaders::ibl_brdf_lut_comp, "ibl_brdf_lut.comp"}},
  };
  for (const auto& [slot, src] : programs) {
    auto program = compile_compute(src.first, src.second);
    if (!program) return std::unexpected(program.error());  // p's destructor frees the others
    *slot = *program;
  }
  return p;
}

IblPrefilter::IblPrefilter(IblPrefilter&& o) noexcept
    : sizes_(o.sizes_),
      equirect_to_cube_(std::exchange(o.equirect_to_cube_, 0)),
      specular_(std::exchange(o.specular_, 0)),
      irradiance_(std::exchange(o.irradiance_, 0)),
      brdf_lut_(std::exchange(o.brdf_lut_, 0)) {}

IblPrefilter::~IblPrefilter() {
  for (GLuint program : {equirect_to_cube_, specular_, irradiance_, brdf_lut_}) {
    if (program != 0) glDeleteProgram(program);
  }
}

Result<EnvTextureSet> IblPrefilter::prefilter(const HdrImage& image) const {
  glEnable(GL_TEXTURE_CUBE_MAP_SEAMLESS);
  static_cast<void>(check_gl("before IBL prefilter"));  // not ours: clear stale errors
  EnvTextureSet set;
  set.specular_mips = sizes_.specular_mips;

  // 1. The source, box-filtered to the background size, with mips.
  int bw = 0, bh = 0;
  const std::vector<float> rgba = equirect_rgba_for_upload(image, sizes_.background_max_width, bw, bh);
  set.background = make_background(bw, bh);
  glTextureSubImage2D(set.background, 0, 0, 0, bw, bh, GL_RGBA, GL_FLOAT, rgba.data());
  glGenerateTextureMipmap(set.background);

  // 2. Environment cube with its mip chain. The equirect's lod matches its
  // texel density to the cube's (a face spans a quarter of the equirect).
  const int env_levels = mip_count(sizes_.env, sizes_.env);
  const GLuint env = make_cube(sizes_.env, env_levels);
  glUseProgram(equirect_to_cube_);
  set_int(equirect_to_cube_, "u_size", sizes_.env);
  set_float(equirect_to_cube_, "u_lod",
            std::max(0.0f, std::log2(static_cast<float>(bw) / (4.0f * static_cast<float>(sizes_.env)))));
  glBindTextureUnit(0, set.background);
  glBindImageTexture(0, env, 0, GL_TRUE, 0, GL_WRITE_ONLY, GL_RGBA16F);
  glDispatchCompute(groups(sizes_.env), groups(sizes_.env), 6);
  glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT | GL_TEXTURE_UPDATE_BARRIER_BIT);
  glGenerateTextureMipmap(env);
  glBindTextureUnit(0, env);

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

  unbind_all();
  glDeleteTextures(1, &env);
  if (auto ok = check_gl("IBL prefilter"); !ok) {
    delete_textures(set);
    return std::unexpected(ok.error());
  }
  return set;
}

Result<unsigned> IblPrefilter::make_brdf_lut() const {
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
  glGenerateTextureMipmap(set.background);
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
