// URI handling: data: URIs decode, and no spelling of a path leaves the
// scene's folder.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gltf/uri.hpp"

namespace fs = std::filesystem;
using renderq::Errc;
using namespace renderq::gltf;

TEST_CASE("base64 data URIs decode", "[uri]") {
  std::string mime;
  auto d = decode_data_uri("data:application/octet-stream;base64,AAECAw==", &mime);
  REQUIRE(d.has_value());
  CHECK(*d == std::vector<std::uint8_t>{0, 1, 2, 3});
  CHECK(mime == "application/octet-stream");
  auto bad = decode_data_uri("data:;base64,AA*A", nullptr);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == Errc::GltfInvalid);
  CHECK_FALSE(decode_data_uri("data:nocomma", nullptr).has_value());
}

TEST_CASE("percent decoding refuses malformed escapes", "[uri]") {
  CHECK(percent_decode("a%20b").value() == "a b");
  CHECK_FALSE(percent_decode("a%2").has_value());
  CHECK_FALSE(percent_decode("a%zz").has_value());
  CHECK_FALSE(percent_decode("a%00b").has_value());
}

TEST_CASE("URIs that leave the scene's folder are refused", "[uri][badinput]") {
  char tmpl[] = "/tmp/renderq-uri-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  fs::path dir(tmpl);
  fs::create_directories(dir / "scene" / "sub");
  std::ofstream(dir / "scene" / "sub" / "a.bin") << "x";
  std::ofstream(dir / "outside.bin") << "x";
  fs::create_symlink(dir / "outside.bin", dir / "scene" / "link.bin");
  fs::path base = dir / "scene";

  auto ok = resolve_uri(base, "sub/a.bin");
  REQUIRE(ok.has_value());
  CHECK(ok->filename() == "a.bin");
  CHECK(resolve_uri(base, "sub/../sub/a%2Ebin").has_value());
  CHECK(resolve_uri(base, "./missing.png").has_value());  // missing is not escaping

  for (const char* uri :
       {"../outside.bin", "../../etc/passwd", "/etc/passwd", "%2e%2e/outside.bin",
        "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "sub/../../outside.bin", "file:///etc/passwd",
        "http://example.com/x.bin", "%2Fetc%2Fpasswd", "link.bin", "", "."}) {
    auto r = resolve_uri(base, uri);
    INFO(uri);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::GltfUriEscapes);
  }
  fs::remove_all(dir);
}
