// The IBL disk-cache file format (CPU only).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/temp_dir.hpp"
#include "render/ibl_disk_cache.hpp"

namespace fs = std::filesystem;

namespace {

using renderq::test::TempDir;

std::vector<renderq::CacheLevel> sample_levels() {
  std::vector<renderq::CacheLevel> levels(3);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    levels[i].width = static_cast<std::uint32_t>(4 >> i);
    levels[i].height = static_cast<std::uint32_t>(4 >> i);
    levels[i].layers = 6;
    levels[i].format = 0x881A;
    levels[i].bytes.resize(levels[i].width * levels[i].height * 6 * 8);
    for (std::size_t b = 0; b < levels[i].bytes.size(); ++b) {
      levels[i].bytes[b] = static_cast<std::uint8_t>(b * 31 + i);
    }
  }
  return levels;
}

}  // namespace

TEST_CASE("a cache file round-trips bit-exactly and leaves no temporary file", "[ibl][cache]") {
  TempDir dir;
  const auto levels = sample_levels();
  REQUIRE(renderq::write_cache_file(dir.path / "sub", 42, levels));
  auto back = renderq::read_cache_file(dir.path / "sub", 42);
  REQUIRE(back);
  CHECK(*back == levels);
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir.path / "sub")) {
    ++files;
    CHECK(e.path() == renderq::cache_file_path(dir.path / "sub", 42));
  }
  CHECK(files == 1);
}

TEST_CASE("a missing cache entry is not_found", "[ibl][cache]") {
  TempDir dir;
  auto none = renderq::read_cache_file(dir.path, 7);
  REQUIRE_FALSE(none);
  CHECK(none.error().code == renderq::Errc::NotFound);
}

TEST_CASE("a damaged cache file is reported, never trusted", "[ibl][cache]") {
  TempDir dir;
  const auto levels = sample_levels();
  REQUIRE(renderq::write_cache_file(dir.path, 9, levels));
  const fs::path file = renderq::cache_file_path(dir.path, 9);
  const auto size = fs::file_size(file);

  SECTION("one flipped payload byte") {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size - 100));
    f.put('\x5a');
  }
  SECTION("truncated") { fs::resize_file(file, size - 1); }
  SECTION("trailing bytes") { fs::resize_file(file, size + 8); }
  SECTION("header only") { fs::resize_file(file, 20); }
  SECTION("empty") { fs::resize_file(file, 0); }
  SECTION("another key's file under this name") {
    REQUIRE(renderq::write_cache_file(dir.path, 10, levels));
    fs::rename(renderq::cache_file_path(dir.path, 10), file);
  }
  auto back = renderq::read_cache_file(dir.path, 9);
  REQUIRE_FALSE(back);
  CHECK(back.error().code == renderq::Errc::Io);
  // Rewriting repairs it.
  REQUIRE(renderq::write_cache_file(dir.path, 9, levels));
  auto again = renderq::read_cache_file(dir.path, 9);
  REQUIRE(again);
  CHECK(*again == levels);
}

TEST_CASE("hash64 separates contents, lengths and seeds", "[ibl][cache]") {
  CHECK(renderq::hash64("abc") != renderq::hash64("abd"));
  CHECK(renderq::hash64("abc") != renderq::hash64("abc", 1));
  CHECK(renderq::hash64(std::string(8, '\0')) != renderq::hash64(std::string(9, '\0')));
  CHECK(renderq::hash64("abcdefghij") == renderq::hash64("abcdefghij"));
}
