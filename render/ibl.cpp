#include "render/ibl.hpp"

#include <epoxy/gl.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <optional>
#include <system_error>

#include "render/hdr_image.hpp"
#include "render/ibl_disk_cache.hpp"
#include "render/ibl_prefilter.hpp"
#include "render/shaders/ibl_shaders.hpp"
#include "render/studio_env.hpp"

namespace renderq {
namespace {

// What every cache key depends on besides the environment: the sizes, the
// cache format and the shader text (so editing a shader invalidates old
// files instead of loading results it would no longer produce).
std::uint64_t pipeline_hash(const IblSizes& sizes) {
  std::uint64_t h = hash64(sizes.key_text(), kIblCacheFormat);
  for (std::string_view s : {shaders::ibl_common_glsl, shaders::ibl_equirect_to_cube_comp,
                             shaders::ibl_cube_downsample_comp,
                             shaders::ibl_specular_comp, shaders::ibl_irradiance_comp,
                             shaders::ibl_brdf_lut_comp}) {
    h = hash64(s, h);
  }
  return h;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::string fmt_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

}  // namespace

struct IblCache::Impl {
  std::filesystem::path disk_dir;
  LogFn log;
  std::optional<IblPrefilter> prefilter;
  std::uint64_t pipeline = 0;
  unsigned lut = 0;
  IblStats stats;
  std::deque<IblTextures> storage;    // stable addresses for the returned pointers
  std::vector<EnvTextureSet> owned;   // every texture set made, deleted at the end

  struct FileEntry {
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
    const IblTextures* textures = nullptr;
  };
  std::map<std::string, FileEntry> by_path;           // "" = studio
  std::map<std::uint32_t, const IblTextures*> uniforms;  // by radiance bits

  void say(const std::string& line) const {
    if (log) log(line);
  }

  Result<void> ensure_ready() {
    if (prefilter) return {};
    auto p = IblPrefilter::create();
    if (!p) return std::unexpected(p.error());
    prefilter.emplace(std::move(*p));
    pipeline = pipeline_hash(prefilter->sizes());
    // The BRDF LUT depends on nothing but the pipeline.
    const std::uint64_t key = hash64("brdf-lut", pipeline);
    if (!disk_dir.empty()) {
      auto levels = read_cache_file(disk_dir, key);
      if (levels) {
        auto tex = prefilter->lut_from_levels(*levels);
        if (tex) {
          lut = *tex;
          return {};
        }
        say("ibl: ignoring BRDF LUT cache: " + tex.error().message());
      } else if (levels.error().code != Errc::NotFound) {
        say("ibl: ignoring damaged cache file: " + levels.error().message());
      }
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto tex = prefilter->make_brdf_lut();
    if (!tex) return std::unexpected(tex.error());
    lut = *tex;
    glFinish();
    say("ibl: BRDF LUT computed in " + fmt_ms(ms_since(t0)));
    if (!disk_dir.empty()) {
      if (auto w = write_cache_file(disk_dir, key, prefilter->lut_to_levels(lut)); !w) {
        say("ibl: cannot write cache: " + w.error().message());
      }
    }
    return {};
  }

  // The cached entry for `key`, else the prefiltered `make_image()`.
  template <typename MakeImage>
  Result<const IblTextures*> load_or_build(std::uint64_t key, const std::string& what,
                                           MakeImage make_image) {
    if (auto ready = ensure_ready(); !ready) return std::unexpected(ready.error());
    const auto t0 = std::chrono::steady_clock::now();
    std::optional<EnvTextureSet> set;
    if (!disk_dir.empty()) {
      auto levels = read_cache_file(disk_dir, key);
      if (levels) {
        auto loaded = prefilter->env_from_levels(*levels);
        if (loaded) {
          set = *loaded;
          ++stats.disk_hits;
          say("ibl: " + what + " loaded from disk cache in " + fmt_ms(ms_since(t0)));
        } else {
          say("ibl: ignoring cache entry: " + loaded.error().message());
        }
      } else if (levels.error().code != Errc::NotFound) {
        say("ibl: ignoring damaged cache file: " + levels.error().message());
      }
    }
    if (!set) {
      Result<HdrImage> image = make_image();
      if (!image) return std::unexpected(image.error());
      std::string timings;
      auto built = prefilter->prefilter(*image, log ? &timings : nullptr);
      if (!built) return std::unexpected(built.error());
      set = *built;
      ++stats.prefilters;
      say("ibl: " + what + " prefiltered in " + fmt_ms(ms_since(t0)) + " (" + timings + ")");
      if (!disk_dir.empty()) {
        if (auto w = write_cache_file(disk_dir, key, prefilter->env_to_levels(*set)); !w) {
          say("ibl: cannot write cache: " + w.error().message());
        }
      }
    }
    owned.push_back(*set);
    storage.push_back(IblTextures{.specular_cube = set->specular,
                                  .irradiance_cube = set->irradiance,
                                  .brdf_lut = lut,
                                  .background_equirect = set->background,
                                  .specular_mips = set->specular_mips});
    return &storage.back();
  }
};

IblCache::IblCache(std::filesystem::path disk_dir, LogFn log) : impl_(std::make_unique<Impl>()) {
  impl_->disk_dir = std::move(disk_dir);
  impl_->log = std::move(log);
}

IblCache::~IblCache() {
  for (EnvTextureSet& set : impl_->owned) delete_textures(set);
  if (impl_->lut != 0) glDeleteTextures(1, &impl_->lut);
}

const IblStats& IblCache::stats() const { return impl_->stats; }

Result<const IblTextures*> IblCache::get(const std::string& hdr_path, std::uint64_t max_bytes) {
  Impl& m = *impl_;
  if (hdr_path.empty()) {
    if (auto it = m.by_path.find(""); it != m.by_path.end()) {
      ++m.stats.memory_hits;
      return it->second.textures;
    }
    if (auto ready = m.ensure_ready(); !ready) return std::unexpected(ready.error());
    constexpr int kHeight = 256;
    const std::uint64_t key = hash64(
        "studio v" + std::to_string(kStudioEnvironmentVersion) + " h" + std::to_string(kHeight),
        m.pipeline);
    auto textures = m.load_or_build(key, "studio environment", [] {
      return Result<HdrImage>(make_studio_environment(kHeight));
    });
    if (!textures) return textures;
    m.by_path[""] = Impl::FileEntry{.mtime = {}, .size = 0, .textures = *textures};
    return textures;
  }

  // In memory: keyed by path, and still valid while mtime and size match.
  std::error_code ec;
  const std::filesystem::path path(hdr_path);
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(Errc::EnvironmentInvalid, hdr_path + ": not a readable file");
  }
  const auto mtime = std::filesystem::last_write_time(path, ec);
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(Errc::EnvironmentInvalid, hdr_path + ": " + ec.message());
  if (auto it = m.by_path.find(hdr_path);
      it != m.by_path.end() && it->second.mtime == mtime && it->second.size == size) {
    ++m.stats.memory_hits;
    return it->second.textures;
  }

  // On disk: keyed by content, so a copied or renamed file still hits.
  if (auto ready = m.ensure_ready(); !ready) return std::unexpected(ready.error());
  const auto t0 = std::chrono::steady_clock::now();
  auto bytes = read_environment_bytes(path, max_bytes);
  if (!bytes) return std::unexpected(bytes.error());
  const std::uint64_t key = hash64(*bytes, hash64("hdr", m.pipeline));
  m.say("ibl: " + path.filename().string() + " read and hashed (" +
        std::to_string(bytes->size() >> 10) + " KiB) in " + fmt_ms(ms_since(t0)));
  auto textures = m.load_or_build(key, path.filename().string(),
                                  [&] { return decode_hdr(*bytes, hdr_path, max_bytes == 0 ? 0 : std::max<std::uint64_t>(1, max_bytes - bytes->size()));
                                  });
  if (!textures) return textures;
  m.by_path[hdr_path] = Impl::FileEntry{.mtime = mtime, .size = size, .textures = *textures};
  return textures;
}

Result<const IblTextures*> IblCache::get_uniform(float radiance) {
  Impl& m = *impl_;
  if (!std::isfinite(radiance) || radiance < 0.0f || radiance > 65504.0f) {
    return fail(Errc::InvalidArgument, "uniform environment radiance must be in [0, 65504]");
  }
  const auto bits = std::bit_cast<std::uint32_t>(radiance);
  if (auto it = m.uniforms.find(bits); it != m.uniforms.end()) {
    ++m.stats.memory_hits;
    return it->second;
  }
  if (auto ready = m.ensure_ready(); !ready) return std::unexpected(ready.error());
  const std::uint64_t key = hash64("uniform " + std::to_string(bits), m.pipeline);
  auto textures = m.load_or_build(key, "uniform environment", [radiance] {
    HdrImage image{.width = 8, .height = 4, .rgb = std::vector<float>(8 * 4 * 3, radiance)};
    return Result<HdrImage>(std::move(image));
  });
  if (!textures) return textures;
  m.uniforms[bits] = *textures;
  return textures;
}

}  // namespace renderq
