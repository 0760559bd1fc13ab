// IBL prefilter benchmark: cold prefilter vs cached loads, per environment.
//
//   ibl_bench [--env FILE.hdr]... [--studio] [--cache-dir DIR] [--phase cold|disk|all]
//   ibl_bench --make-hdr OUT.hdr HEIGHT   (writes the studio as an RLE .hdr, 2:1)
//
// For each environment (the built-in studio when none is named) prints one
// table row per phase, in milliseconds of wall time with glFinish:
//   cold      a new IblCache on an empty cache folder: shader compile, BRDF LUT,
//             read + decode, prefilter, cache write
//   memory    the same IblCache again (in-memory hit)
//   disk      a new IblCache on the filled folder (read file, checksum, upload)
// --phase cold|disk runs only that phase on --cache-dir, so bench/ibl_bench.sh
// can time a cold process and a cached process separately.
#include <epoxy/gl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "render/hdr_image.hpp"
#include "render/ibl.hpp"
#include "render/studio_env.hpp"
#include "tests/render/ibl_gl_context.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

bool timed_get(renderq::IblCache& cache, const std::string& env, double& out_ms) {
  const auto t0 = Clock::now();
  auto ibl = cache.get(env);
  glFinish();
  out_ms = ms(t0);
  if (!ibl) {
    std::fprintf(stderr, "ibl_bench: %s: %s\n", env.c_str(), ibl.error().message().c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> envs;
  fs::path cache_dir;
  std::string phase = "all";
  if (argc == 4 && std::strcmp(argv[1], "--make-hdr") == 0) {
    const std::vector<std::uint8_t> bytes =
        renderq::encode_hdr(renderq::make_studio_environment(std::atoi(argv[3])));
    std::FILE* f = std::fopen(argv[2], "wb");
    const bool ok = f && std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    if (f) std::fclose(f);
    return ok ? 0 : 1;
  }
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--env" && i + 1 < argc) {
      envs.push_back(fs::absolute(argv[++i]).string());
    } else if (arg == "--studio") {
      envs.emplace_back("");
    } else if (arg == "--cache-dir" && i + 1 < argc) {
      cache_dir = argv[++i];
    } else if (arg == "--phase" && i + 1 < argc) {
      phase = argv[++i];
    } else {
      std::fprintf(stderr, "usage: ibl_bench [--env FILE]... [--studio] [--cache-dir DIR] "
                           "[--phase cold|disk|all]\n");
      return 2;
    }
  }
  if (envs.empty()) envs.emplace_back("");
  const bool own_dir = cache_dir.empty();
  if (own_dir) {
    std::string tmpl = (fs::temp_directory_path() / "renderq-ibl-bench-XXXXXX").string();
    cache_dir = ::mkdtemp(tmpl.data());
  }

  const auto t_ctx = Clock::now();
  std::string why;
  auto ctx = renderq::testing::GlTestContext::create(&why);
  if (!ctx) {
    std::fprintf(stderr, "ibl_bench: %s\n", why.c_str());
    return 1;
  }
  const double ctx_ms = ms(t_ctx);
  std::printf("# %s; context %.1f ms\n", ctx->renderer().c_str(), ctx_ms);
  std::printf("%-28s %-7s %10s\n", "environment", "phase", "ms");
  // The cache's own step timings go to stderr, prefixed like table comments.
  const renderq::LogFn log = [](std::string_view line) {
    std::fprintf(stderr, "#   %.*s\n", static_cast<int>(line.size()), line.data());
  };
  int rc = 0;
  for (const std::string& env : envs) {
    const std::string name = env.empty() ? "studio" : fs::path(env).filename().string();
    double t = 0;
    if (phase == "cold" || phase == "all") {
      // Each environment gets an empty folder so its cold row really is cold.
      const fs::path dir = cache_dir / ("env-" + std::to_string(&env - envs.data()));
      if (phase == "all") fs::remove_all(dir);
      renderq::IblCache cache(dir, log);
      if (!timed_get(cache, env, t)) { rc = 1; continue; }
      std::printf("%-28s %-7s %10.1f\n", name.c_str(), "cold", t);
      if (phase == "all") {
        if (!timed_get(cache, env, t)) { rc = 1; continue; }
        std::printf("%-28s %-7s %10.3f\n", name.c_str(), "memory", t);
      }
    }
    if (phase == "disk" || phase == "all") {
      const fs::path dir = cache_dir / ("env-" + std::to_string(&env - envs.data()));
      renderq::IblCache cache(dir, log);
      if (!timed_get(cache, env, t)) { rc = 1; continue; }
      std::printf("%-28s %-7s %10.1f%s\n", name.c_str(), "disk", t,
                  cache.stats().disk_hits == 1 ? "" : "  (MISS: was not cached)");
    }
  }
  if (own_dir) fs::remove_all(cache_dir);
  return rc;
}
