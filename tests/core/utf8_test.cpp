#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "core/utf8.hpp"

using renderq::Errc;

TEST_CASE("utf8: well-formed text passes, every kind of bad byte is caught", "[utf8]") {
  using renderq::valid_utf8;
  CHECK(valid_utf8(""));
  CHECK(valid_utf8("plain ascii"));
  CHECK(valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\xa5"));  // é € 🎥
  CHECK(valid_utf8("\xf4\x8f\xbf\xbf"));                          // U+10FFFF
  CHECK_FALSE(valid_utf8("x\xff"));                                 // never a UTF-8 byte
  CHECK_FALSE(valid_utf8("caf\xe9.glb"));                           // Latin-1
  CHECK_FALSE(valid_utf8("\x80"));                                  // stray continuation
  CHECK_FALSE(valid_utf8("\xc3"));                                  // cut short
  CHECK_FALSE(valid_utf8("\xe2\x82"));
  CHECK_FALSE(valid_utf8("\xc0\xaf"));                              // overlong '/'
  CHECK_FALSE(valid_utf8("\xe0\x80\xaf"));
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));                          // a surrogate
  CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));                      // past U+10FFFF
  CHECK_FALSE(valid_utf8("\xf8\x88\x80\x80\x80"));                  // 5-byte form
}

// What the checks let through is exactly what nlohmann::json can dump: a
// string it accepts never makes a listing throw.
TEST_CASE("utf8: valid_utf8 agrees with what nlohmann::json dumps", "[utf8]") {
  std::mt19937 rng(12345);
  const std::string alphabet = "a\x7f\x80\xbf\xc2\xc3\xdf\xe0\xe1\xed\xee\xef\xf0\xf1\xf4\xf5\xff\x8f\x90\x9f\xa0";
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) s.push_back(alphabet[rng() % alphabet.size()]);
    bool dumps = true;
    try {
      (void)nlohmann::json(s).dump();
    } catch (const nlohmann::json::type_error&) {
      dumps = false;
    }
    INFO("bytes: " << renderq::printable_text(s));
    REQUIRE(renderq::valid_utf8(s) == dumps);
  }
}

TEST_CASE("utf8: check_text names the field and shows the bad bytes escaped", "[utf8]") {
  CHECK(renderq::check_text("--name", "ok \xc3\xa9"));
  auto bad = renderq::check_text("--name", "x\xff");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == Errc::InvalidArgument);
  CHECK(bad.error().detail.find("--name") != std::string::npos);
  CHECK(bad.error().detail.find("x\\xFF") != std::string::npos);
  CHECK(renderq::valid_utf8(bad.error().detail));
  CHECK(renderq::check_text("--name", std::string("a\0b", 3)).error().code == Errc::InvalidArgument);
  CHECK(renderq::printable_text("caf\xc3\xa9\t\xe9") == "caf\xc3\xa9\\x09\\xE9");
}
