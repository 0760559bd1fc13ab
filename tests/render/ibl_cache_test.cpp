// IblCache's memory and disk caching and its handling of bad environments.
#include <catch2/catch.hpp>

#include <epoxy/gl.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "ibl_gl_context.hpp"
#include "tests/temp_dir.hpp"
#include "render/ibl.hpp"
#include "render/ibl_disk_cache.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kEnvDir = std::string(RENDERQ_SOURCE_DIR) + "/tests/data/env/";

using renderq::test::TempDir;

std::unique_ptr<renderq::testing::GlTestContext> make_context() {
  std::string why;
  auto ctx = renderq::testing::GlTestContext::create(&why);
  INFO(why);
  REQUIRE(ctx);
  return ctx;
}

// Every byte of every texture of an environment, as stored (half floats).
std::vector<std::uint8_t> texture_bytes(const renderq::IblTextures& t) {
  std::vector<std::uint8_t> all;
  auto grab = [&all](unsigned tex, int level, GLenum format, int bytes_per_texel) {
    GLint w = 0, h = 0, target = 0;
    glGetTextureLevelParameteriv(tex, level, GL_TEXTURE_WIDTH, &w);
    glGetTextureLevelParameteriv(tex, level, GL_TEXTURE_HEIGHT, &h);
    glGetTextureParameteriv(tex, GL_TEXTURE_TARGET, &target);
    const int layers = target == GL_TEXTURE_CUBE_MAP ? 6 : 1;
    std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * layers * bytes_per_texel);
    glGetTextureImage(tex, level, format, GL_HALF_FLOAT, static_cast<GLsizei>(px.size()), px.data());
    all.insert(all.end(), px.begin(), px.end());
  };
  for (int level = 0; level < t.specular_mips; ++level) grab(t.specular_cube, level, GL_RGBA, 8);
  grab(t.irradiance_cube, 0, GL_RGBA, 8);
  grab(t.background_equirect, 0, GL_RGBA, 8);
  grab(t.brdf_lut, 0, GL_RG, 4);
  REQUIRE(glGetError() == GL_NO_ERROR);
  return all;
}

std::vector<fs::path> cache_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  return files;
}

}  // namespace

TEST_CASE("the disk cache round-trips bit-exactly and a corrupt file is rebuilt", "[ibl][gl][cache]") {
  auto ctx = make_context();
  TempDir dir;
  const std::string env = kEnvDir + "rle_16x3.hdr";

  std::vector<std::uint8_t> cold;
  {
    renderq::IblCache cache(dir.path);
    auto ibl = cache.get(env);
    REQUIRE(ibl);
    CHECK(cache.stats().prefilters == 1);
    cold = texture_bytes(**ibl);
  }
  REQUIRE(cache_files(dir.path).size() == 2);  // the environment and the BRDF LUT
  {
    renderq::IblCache cache(dir.path);
    auto ibl = cache.get(env);
    REQUIRE(ibl);
    CHECK(cache.stats().prefilters == 0);
    CHECK(cache.stats().disk_hits == 1);
    CHECK(texture_bytes(**ibl) == cold);
  }

  // Damage every cache file: each is noticed, ignored and rewritten.
  for (const fs::path& file : cache_files(dir.path)) {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(file) / 2));
    f.put('\x7f');
    f.put('\x00');
  }
  std::vector<std::string> log;
  {
    renderq::IblCache cache(dir.path, [&log](std::string_view line) { log.emplace_back(line); });
    auto ibl = cache.get(env);
    REQUIRE(ibl);
    CHECK(cache.stats().prefilters == 1);
    CHECK(cache.stats().disk_hits == 0);
    CHECK(texture_bytes(**ibl) == cold);  // llvmpipe is deterministic
  }
  bool logged_damage = false;
  for (const std::string& line : log) logged_damage |= line.find("damaged") != std::string::npos;
  CHECK(logged_damage);
  {
    renderq::IblCache cache(dir.path);
    auto ibl = cache.get(env);
    REQUIRE(ibl);
    CHECK(cache.stats().disk_hits == 1);
    CHECK(texture_bytes(**ibl) == cold);
  }
}

TEST_CASE("the memory cache hits by path and reloads a changed file", "[ibl][gl][cache]") {
  auto ctx = make_context();
  TempDir dir;
  const fs::path env = dir.path / "env.hdr";
  fs::copy_file(kEnvDir + "rle_16x3.hdr", env);
  renderq::IblCache cache(dir.path / "cache");
  auto first = cache.get(env.string());
  REQUIRE(first);
  auto second = cache.get(env.string());
  REQUIRE(second);
  CHECK(*first == *second);
  CHECK(cache.stats().memory_hits == 1);

  // Replace the file with other content (another size): loaded again.
  fs::remove(env);
  fs::copy_file(kEnvDir + "flat_4x2.hdr", env);
  auto third = cache.get(env.string());
  REQUIRE(third);
  CHECK(*third != *first);
  CHECK(cache.stats().prefilters == 2);
  // The first pointer stays valid for the life of the cache.
  CHECK((*first)->specular_cube != 0);
  CHECK(glIsTexture((*first)->specular_cube));
}

TEST_CASE("bad environment files are environment_invalid and the cache keeps working",
          "[ibl][gl][cache]") {
  auto ctx = make_context();
  TempDir dir;
  renderq::IblCache cache(dir.path);
  for (const char* name : {"garbage.hdr", "truncated_rle.hdr", "empty.hdr", "missing.hdr",
                           "huge_claim.hdr"}) {
    INFO(name);
    auto ibl = cache.get(kEnvDir + name);
    REQUIRE_FALSE(ibl);
    CHECK(ibl.error().code == renderq::Errc::EnvironmentInvalid);
  }
  auto dir_as_env = cache.get(dir.path.string());
  REQUIRE_FALSE(dir_as_env);
  CHECK(dir_as_env.error().code == renderq::Errc::EnvironmentInvalid);
  CHECK(cache.get(kEnvDir + "flat_4x2.hdr"));
}
