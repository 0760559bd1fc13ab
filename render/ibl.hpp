// Image-based lighting: turns an equirectangular Radiance .hdr (or the
// built-in neutral studio environment) into the three textures the PBR
// shader samples: a prefiltered specular cube map (roughness per mip level),
// a diffuse irradiance cube map and the split-sum BRDF lookup table.
// Results are cached in memory per environment for the life of the cache
// (one worker renders many jobs with the same environment) and on disk
// (a cold process skips the prefilter).
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

class IblCache {
 public:
  // disk_dir: where prefiltered results are stored across processes
  // ("" = memory only). Created on demand.
  explicit IblCache(std::filesystem::path disk_dir, LogFn log = {});
  ~IblCache();  // deletes the GL textures; the context must still be current
  IblCache(const IblCache&) = delete;
  IblCache& operator=(const IblCache&) = delete;

  // The textures for `hdr_path` ("" = built-in studio). Errc::EnvironmentInvalid
  // for a missing or undecodable file. The pointer stays valid for the life
  // of the cache.
  Result<const IblTextures*> get(const std::string& hdr_path);

  // A uniform environment of the given radiance (white furnace tests).
  Result<const IblTextures*> get_uniform(float radiance);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace renderq
