// Radiance .hdr decoding and the built-in studio environment (CPU only).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "render/hdr_image.hpp"
#include "render/ibl_prefilter.hpp"
#include "render/studio_env.hpp"

namespace {

const std::string kEnvDir = std::string(RENDERQ_SOURCE_DIR) + "/tests/data/env/";

// The generator's pixel formula for rle_16x3.hdr (tests/data/env/make_test_env.py).
void rle_pixel(int x, int y, std::uint8_t out[4]) {
  out[0] = static_cast<std::uint8_t>((x * 16 + y) & 0xff);
  out[1] = static_cast<std::uint8_t>(x < 10 ? 200 : x);
  out[2] = 7;
  out[3] = static_cast<std::uint8_t>(128 + y);
}

}  // namespace

TEST_CASE("rgbe_to_float follows Radiance's definition", "[ibl][hdr]") {
  const std::uint8_t one[4] = {128, 64, 0, 129};
  float rgb[3];
  renderq::rgbe_to_float(one, rgb);
  CHECK(rgb[0] == 1.00390625f);  // (128 + 0.5) * 2^(129 - 136)
  CHECK(rgb[1] == 0.50390625f);
  CHECK(rgb[2] == 0.00390625f);
  const std::uint8_t zero[4] = {255, 255, 255, 0};
  renderq::rgbe_to_float(zero, rgb);
  CHECK(rgb[0] == 0.0f);
}

TEST_CASE("a flat-scanline .hdr decodes exactly", "[ibl][hdr]") {
  auto image = renderq::read_hdr_file(kEnvDir + "flat_4x2.hdr");
  REQUIRE(image);
  REQUIRE(image->width == 4);
  REQUIRE(image->height == 2);
  REQUIRE(image->rgb.size() == 24u);
  // Row 0, pixel 0: (128, 64, 0, 129); pixel 1: all zero; row 1 pixel 0: (128,128,128,129).
  CHECK(image->rgb[0] == 1.00390625f);
  CHECK(image->rgb[1] == 0.50390625f);
  CHECK(image->rgb[2] == 0.00390625f);
  CHECK(image->rgb[3] == 0.0f);
  CHECK(image->rgb[12] == 1.00390625f);
  CHECK(image->rgb[13] == 1.00390625f);
  // Row 1, pixel 1: (16, 32, 48, 140) -> (m + 0.5) * 16.
  CHECK(image->rgb[15] == 264.0f);
  CHECK(image->rgb[16] == 520.0f);
  CHECK(image->rgb[17] == 776.0f);
  // Row 1, pixel 3: (0, 0, 0, 255) -> 0.5 * 2^119, still finite.
  CHECK(image->rgb[21] == std::ldexp(0.5f, 119));
}

TEST_CASE("a run-length-encoded .hdr decodes exactly", "[ibl][hdr]") {
  auto image = renderq::read_hdr_file(kEnvDir + "rle_16x3.hdr");
  REQUIRE(image);
  REQUIRE(image->width == 16);
  REQUIRE(image->height == 3);
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 16; ++x) {
      std::uint8_t rgbe[4];
      rle_pixel(x, y, rgbe);
      float want[3];
      renderq::rgbe_to_float(rgbe, want);
      const float* got = &image->rgb[static_cast<std::size_t>((y * 16 + x) * 3)];
      INFO("pixel " << x << "," << y);
      CHECK(got[0] == want[0]);
      CHECK(got[1] == want[1]);
      CHECK(got[2] == want[2]);
    }
  }
}

TEST_CASE("corrupt, truncated and unsupported .hdr files are environment_invalid",
          "[ibl][hdr]") {
  for (const char* name :
       {"truncated_rle.hdr", "truncated_flat.hdr", "truncated_header.hdr", "garbage.hdr",
        "no_signature.hdr", "xyze.hdr", "bad_resolution.hdr", "huge_claim.hdr",
        "overflow_run.hdr", "empty.hdr", "does_not_exist.hdr"}) {
    INFO(name);
    auto image = renderq::read_hdr_file(kEnvDir + name);
    REQUIRE_FALSE(image);
    CHECK(image.error().code == renderq::Errc::EnvironmentInvalid);
  }
  auto dir = renderq::read_hdr_file(kEnvDir);
  REQUIRE_FALSE(dir);
  CHECK(dir.error().code == renderq::Errc::EnvironmentInvalid);
}

TEST_CASE("every truncation of a valid .hdr is refused, none crashes", "[ibl][hdr]") {
  auto bytes = renderq::read_environment_bytes(kEnvDir + "rle_16x3.hdr");
  REQUIRE(bytes);
  for (std::size_t n = 0; n < bytes->size(); ++n) {
    auto image = renderq::decode_hdr(std::span(bytes->data(), n));
    INFO("length " << n);
    REQUIRE_FALSE(image);
    CHECK(image.error().code == renderq::Errc::EnvironmentInvalid);
  }
  CHECK(renderq::decode_hdr(*bytes));
}

TEST_CASE("the studio environment is neutral, deterministic and lit from above", "[ibl][studio]") {
  const renderq::HdrImage a = renderq::make_studio_environment(64);
  const renderq::HdrImage b = renderq::make_studio_environment(64);
  REQUIRE(a.width == 128);
  REQUIRE(a.height == 64);
  CHECK(a.rgb == b.rgb);
  double top = 0, bottom = 0, peak = 0;
  for (int y = 0; y < a.height; ++y) {
    for (int x = 0; x < a.width; ++x) {
      const float* p = &a.rgb[static_cast<std::size_t>((y * a.width + x) * 3)];
      REQUIRE(p[0] == p[1]);
      REQUIRE(p[1] == p[2]);
      REQUIRE(std::isfinite(p[0]));
      REQUIRE(p[0] > 0.0f);
      (y < a.height / 2 ? top : bottom) += p[0];
      peak = std::max(peak, static_cast<double>(p[0]));
    }
  }
  CHECK(top > 2 * bottom);
  CHECK(peak > 4.0);  // the area lights stand out of the grey gradient
  float zenith[3], nadir[3];
  renderq::studio_radiance(0, 1, 0, zenith);
  renderq::studio_radiance(0, -1, 0, nadir);
  CHECK(zenith[0] > 5.0f);  // inside the overhead light
  CHECK(nadir[0] == Approx(0.18f));
}

TEST_CASE("encode_hdr round-trips decoded pixels exactly, RLE and flat", "[ibl][hdr]") {
  for (const char* name : {"rle_16x3.hdr", "flat_4x2.hdr"}) {
    INFO(name);
    auto image = renderq::read_hdr_file(kEnvDir + name);
    REQUIRE(image);
    auto again = renderq::decode_hdr(renderq::encode_hdr(*image));
    REQUIRE(again);
    CHECK(again->width == image->width);
    CHECK(again->height == image->height);
    REQUIRE(again->rgb.size() == image->rgb.size());
    if (std::string(name) == "rle_16x3.hdr") {
      CHECK(again->rgb == image->rgb);  // normalised RGBE: the same bins
    } else {
      // flat_4x2 holds unnormalised pixels on purpose; re-encoding normalises them.
      for (std::size_t i = 0; i < image->rgb.size(); ++i) {
        CHECK(again->rgb[i] == Approx(image->rgb[i]).epsilon(0.02));
      }
    }
  }
  // A larger image with long runs (the studio's floor) stays within RGBE precision.
  const renderq::HdrImage studio = renderq::make_studio_environment(32);
  const std::vector<std::uint8_t> bytes = renderq::encode_hdr(studio);
  CHECK(bytes.size() < studio.rgb.size() * 4 / 3);  // runs were used
  auto back = renderq::decode_hdr(bytes);
  REQUIRE(back);
  for (std::size_t i = 0; i < studio.rgb.size(); ++i) {
    REQUIRE(back->rgb[i] == Approx(studio.rgb[i]).epsilon(1.0 / 128));
  }
}

TEST_CASE("float_to_half rounds to nearest even like the GPU", "[ibl][hdr]") {
  using renderq::float_to_half;
  CHECK(float_to_half(0.0f) == 0x0000);
  CHECK(float_to_half(-0.0f) == 0x8000);
  CHECK(float_to_half(1.0f) == 0x3c00);
  CHECK(float_to_half(-2.0f) == 0xc000);
  CHECK(float_to_half(65504.0f) == 0x7bff);
  CHECK(float_to_half(65520.0f) == 0x7c00);     // rounds up to infinity
  CHECK(float_to_half(0.1f) == 0x2e66);
  CHECK(float_to_half(std::ldexp(1.0f, -24)) == 0x0001);  // smallest subnormal
  CHECK(float_to_half(std::ldexp(1.0f, -14)) == 0x0400);  // smallest normal
  CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);      // tie -> even
  CHECK(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3c02);  // tie -> even (up)
  CHECK(float_to_half(std::nanf("")) == 0x7e00);
}

TEST_CASE("any single corrupted byte decodes or is refused, never crashes", "[ibl][hdr]") {
  auto bytes = renderq::read_environment_bytes(kEnvDir + "rle_16x3.hdr");
  REQUIRE(bytes);
  for (std::size_t i = 0; i < bytes->size(); ++i) {
    for (std::uint8_t value : {std::uint8_t{0}, std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{0x7f},
                               std::uint8_t{0x80}, std::uint8_t{0xff}}) {
      std::vector<std::uint8_t> copy = *bytes;
      copy[i] = value;
      auto image = renderq::decode_hdr(copy);
      if (!image) {
        REQUIRE(image.error().code == renderq::Errc::EnvironmentInvalid);
      } else {
        REQUIRE(image->rgb.size() == static_cast<std::size_t>(image->width) * image->height * 3);
      }
    }
  }
}

// Issue 13: the environment counts against the scene memory budget, sized
// from its resolution line before decoding, and must be a regular file.
TEST_CASE("an .hdr whose resolution needs more than the budget is scene_too_large before decoding", "[ibl][hdr][budget]") {
  const std::string head = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 4096 +X 16384\n";
  std::vector<std::uint8_t> bytes(head.begin(), head.end());
  auto small = renderq::decode_hdr(bytes, "big.hdr", std::uint64_t{64} << 20);
  REQUIRE_FALSE(small.has_value());
  CHECK(small.error().code == renderq::Errc::SceneTooLarge);
  // Within the budget the same header is merely truncated.
  auto roomy = renderq::decode_hdr(bytes, "big.hdr", std::uint64_t{1} << 30);
  REQUIRE_FALSE(roomy.has_value());
  CHECK(roomy.error().code == renderq::Errc::EnvironmentInvalid);
}

TEST_CASE("an environment that is a FIFO or a device is refused at once, a large one before reading", "[ibl][hdr][budget]") {
  char tmpl[] = "/tmp/renderq-hdr-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::filesystem::path dir(tmpl);
  REQUIRE(::mkfifo((dir / "env.hdr").c_str(), 0600) == 0);
  auto fifo = renderq::read_environment_bytes(dir / "env.hdr");
  REQUIRE_FALSE(fifo.has_value());
  CHECK(fifo.error().code == renderq::Errc::EnvironmentInvalid);
  auto zero = renderq::read_environment_bytes("/dev/zero");
  REQUIRE_FALSE(zero.has_value());
  CHECK(zero.error().code == renderq::Errc::EnvironmentInvalid);
  auto over = renderq::read_environment_bytes(kEnvDir + "rle_16x3.hdr", 16);
  REQUIRE_FALSE(over.has_value());
  CHECK(over.error().code == renderq::Errc::SceneTooLarge);
  CHECK(renderq::read_environment_bytes(kEnvDir + "rle_16x3.hdr", 1 << 20).has_value());
  std::filesystem::remove_all(dir);
}
