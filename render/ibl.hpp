// Image-based lighting: turns an equirectangular Radiance .hdr (or the
// built-in neutral studio environment) into the three textures the PBR
// shader samples: a prefiltered specular cube map (roughness per mip level),
// a diffuse irradiance cube map and the split-sum BRDF lookup table.
// Results are cached in memory per environment for the life of the cache
// (one worker renders many jobs with the same environment) and on disk
// (a cold process skips the prefilter).
//
// Texture layout, for the PBR shader (all linear, world-space directions,
// +Y up; GL_TEXTURE_CUBE_MAP_SEAMLESS is enabled by the cache and should stay
// enabled):
//   specular_cube   RGBA16F cube, specular_mips levels, level i prefiltered
//                   for perceptual roughness i/(specular_mips-1) (GGX, N=V=R):
//                   textureLod(specular_cube, R, roughness*(specular_mips-1)).
//   irradiance_cube RGBA16F cube: (1/pi) * integral L(l) max(n.l,0) dl, so
//                   diffuse = base_colour_diffuse * texture(irradiance_cube, n)
//                   (a uniform environment of radiance L gives L).
//   brdf_lut        RG16F 2D, clamp-to-edge, linear: texture(brdf_lut,
//                   vec2(NdotV, roughness)).rg = (scale, bias), so
//                   specular = prefiltered * (F0 * scale + bias); computed
//                   for the glTF BRDF (GGX, height-correlated Smith). Shared
//                   by every environment of one cache.
//   background_equirect RGBA16F 2D, one level (S repeat, T clamp), the source
//                   box-filtered to at most 1024 px wide; for direction d:
//                   uv = (atan(d.z, d.x) / (2 pi) + 0.5, acos(d.y) / pi).
//
// Disk cache: one versioned file per environment in disk_dir, keyed by a
// hash of the file's content, the sizes and the shader sources (see
// render/ibl_disk_cache.hpp); written atomically; a damaged file is logged,
// ignored and rewritten.
//
// Thread-safety: all methods need the owning GL context current on the
// calling thread.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "render/renderer.hpp"

namespace renderq {

struct IblTextures {
  unsigned specular_cube = 0;   // GL_TEXTURE_CUBE_MAP, RGBA16F, mip i = roughness i/(mips-1)
  unsigned irradiance_cube = 0; // GL_TEXTURE_CUBE_MAP, RGBA16F
  unsigned brdf_lut = 0;        // GL_TEXTURE_2D, RG16F, (NdotV, roughness) -> (scale, bias)
  unsigned background_equirect = 0;  // GL_TEXTURE_2D of the source, for a visible backdrop if wanted
  int specular_mips = 0;
};

// Where results came from, for logs, tests and benchmarks.
struct IblStats {
  int memory_hits = 0;
  int disk_hits = 0;
  int prefilters = 0;  // environments prefiltered on the GPU
};

class IblCache {
 public:
  // disk_dir: where prefiltered results are stored across processes
  // ("" = memory only). Created on demand.
  explicit IblCache(std::filesystem::path disk_dir, LogFn log = {});
  ~IblCache();  // deletes the GL textures; the context must still be current
  IblCache(const IblCache&) = delete;
  IblCache& operator=(const IblCache&) = delete;

  // The textures for `hdr_path` ("" = built-in studio). Errc::EnvironmentInvalid
  // for a missing, truncated or undecodable file; Errc::ShaderCompile or
  // Errc::Internal for GL failures. A file whose mtime or size changed is
  // loaded again. The pointer stays valid for the life of the cache.
  // `max_bytes` (0 = no limit): the scene memory budget the file and its
  // decoded floats must fit in (Errc::SceneTooLarge before reading or
  // decoding; render/hdr_image.hpp).
  Result<const IblTextures*> get(const std::string& hdr_path, std::uint64_t max_bytes = 0);

  // A uniform environment of the given radiance (white furnace tests), run
  // through the same prefilter. Errc::InvalidArgument outside [0, 65504].
  Result<const IblTextures*> get_uniform(float radiance);

  const IblStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace renderq
