// The GPU half of image-based lighting: compute shaders (GL 4.5 core) that
// turn an equirectangular image into the textures of IblTextures, plus the
// conversions between those textures and the disk cache's levels.
//
//   equirect (<= background_max_width wide, RGBA16F, one level)
//     -> environment cube (env px, RGBA16F, full mip chain)
//     -> specular cube (specular px, specular_mips levels, GGX, roughness
//        i/(mips-1) at level i) and irradiance cube (irradiance px)
//   BRDF LUT (lut px, RG16F), independent of the environment.
//
// Thread-safety: needs a current GL 4.5 context; leaves no program, image
// unit or texture unit 0 binding behind, and leaves
// GL_TEXTURE_CUBE_MAP_SEAMLESS enabled (the PBR shader wants it too).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "render/hdr_image.hpp"
#include "render/ibl_disk_cache.hpp"

namespace renderq {

// Sizes and sample counts. They are part of the disk-cache key, so changing
// one invalidates old cache files instead of loading mismatched ones.
struct IblSizes {
  int env = 256;                   // environment cube, sampled by the prefilter
  int specular = 128;              // specular cube's level 0
  int specular_mips = 6;           // 128 .. 4 px
  int irradiance = 32;
  int lut = 128;
  int specular_samples = 64;       // per texel, with mip-filtered lookups
  int irradiance_samples = 256;
  int lut_samples = 512;
  int background_max_width = 1024; // the equirect is box-filtered down to this (<= 4 * env)

  std::string key_text() const;    // a stable description for cache keys
};

// GL texture names made by the prefilter; the caller owns (deletes) them.
struct EnvTextureSet {
  unsigned specular = 0;
  unsigned irradiance = 0;
  unsigned background = 0;
  int specular_mips = 0;
};

void delete_textures(EnvTextureSet& set);

// Owns the compiled compute programs; build once per context.
class IblPrefilter {
 public:
  // Shaders are compiled on first use (a process that only loads cached
  // results never pays for them); Errc::ShaderCompile with the driver's log
  // comes from prefilter() / make_brdf_lut().
  static Result<IblPrefilter> create(IblSizes sizes = {});
  IblPrefilter(IblPrefilter&& other) noexcept;
  IblPrefilter& operator=(IblPrefilter&&) = delete;
  IblPrefilter(const IblPrefilter&) = delete;
  ~IblPrefilter();

  const IblSizes& sizes() const { return sizes_; }

  // The environment's textures from a decoded equirect. REQUIRES: image
  // non-empty. Errc::Internal on a GL error. With `timings`, waits for each
  // pass and appends "upload 1.0 ms, cube ..., specular ..., irradiance ...".
  Result<EnvTextureSet> prefilter(const HdrImage& image, std::string* timings = nullptr) const;

  // The BRDF LUT texture (caller owns it).
  Result<unsigned> make_brdf_lut() const;

  // Texture contents as disk-cache levels (RGBA16F/RG16F as half floats),
  // and back. from_levels checks the level shapes against sizes() and fails
  // with Errc::Io on a mismatch, so a stale file is never uploaded.
  std::vector<CacheLevel> env_to_levels(const EnvTextureSet& set) const;
  Result<EnvTextureSet> env_from_levels(const std::vector<CacheLevel>& levels) const;
  std::vector<CacheLevel> lut_to_levels(unsigned lut) const;
  Result<unsigned> lut_from_levels(const std::vector<CacheLevel>& levels) const;

 private:
  IblPrefilter() = default;
  Result<void> compile(unsigned& slot, int which) const;
  IblSizes sizes_;
  mutable unsigned equirect_to_cube_ = 0, specular_ = 0, irradiance_ = 0, brdf_lut_ = 0,
                   downsample_ = 0;
};

// IEEE half from float, rounding to nearest even (what the GPU stores for
// RGBA16F); done on the CPU so the upload is a plain copy on every driver.
std::uint16_t float_to_half(float value);

// Box-filters `image` by a power of two until it is at most max_width wide,
// with values clamped into RGBA16F range (non-finite and negative values
// become 0). Returns RGBA half floats, alpha 1.
std::vector<std::uint16_t> equirect_half_for_upload(const HdrImage& image, int max_width,
                                                    int& width, int& height);

}  // namespace renderq
