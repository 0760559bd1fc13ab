// Image sizes from headers alone (gltf/image_header): what the loader
// charges before any decoder runs.
#include <vector>

#include <catch2/catch.hpp>
#include <webp/encode.h>

#include "gltf/image_header.hpp"

using renderq::Errc;
using renderq::read_image_header;

namespace {

std::vector<std::uint8_t> png_head(std::uint32_t w, std::uint32_t h) {
  std::vector<std::uint8_t> b = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
  for (std::uint32_t v : {w, h})
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<std::uint8_t>(v >> s));
  for (int v : {8, 6, 0, 0, 0, 0, 0, 0, 0}) b.push_back(static_cast<std::uint8_t>(v));
  return b;
}

// SOI, an APP0 segment, then a baseline SOF0 of h x w (and nothing after).
std::vector<std::uint8_t> jpeg_head(std::uint16_t w, std::uint16_t h, std::uint8_t sof = 0xC0) {
  std::vector<std::uint8_t> b = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
  std::vector<std::uint8_t> frame = {0xFF, sof, 0, 17, 8,
                                     static_cast<std::uint8_t>(h >> 8), static_cast<std::uint8_t>(h),
                                     static_cast<std::uint8_t>(w >> 8), static_cast<std::uint8_t>(w), 3};
  b.insert(b.end(), frame.begin(), frame.end());
  for (int c = 1; c <= 3; ++c) b.insert(b.end(), {static_cast<std::uint8_t>(c), 0x11, 0});
  return b;
}

}  // namespace

TEST_CASE("PNG dimensions come from IHDR", "[gltf][image_header]") {
  auto h = read_image_header(png_head(16384, 16384));
  REQUIRE(h.has_value());
  CHECK(h->width == 16384);
  CHECK(h->height == 16384);
  CHECK(renderq::decoded_image_bytes(*h) == (std::uint64_t{1} << 30) + 16384 * sizeof(void*));
  auto wide = read_image_header(png_head(300, 20));
  REQUIRE(wide.has_value());
  CHECK((wide->width == 300 && wide->height == 20));
}

TEST_CASE("PNG headers over the limits or truncated are image_decode", "[gltf][image_header]") {
  CHECK(read_image_header(png_head(16385, 1)).error().code == Errc::ImageDecode);
  CHECK(read_image_header(png_head(0, 10)).error().code == Errc::ImageDecode);
  CHECK(read_image_header(png_head(0xFFFFFFFF, 0xFFFFFFFF)).error().code == Errc::ImageDecode);
  auto cut = png_head(10, 10);
  cut.resize(20);
  CHECK(read_image_header(cut).error().code == Errc::ImageDecode);
}

TEST_CASE("JPEG dimensions come from the first SOFn, past other segments", "[gltf][image_header]") {
  auto h = read_image_header(jpeg_head(640, 480));
  REQUIRE(h.has_value());
  CHECK((h->width == 640 && h->height == 480));
  auto progressive = read_image_header(jpeg_head(16384, 8, 0xC2));
  REQUIRE(progressive.has_value());
  CHECK(progressive->width == 16384);
}

TEST_CASE("JPEG without a frame header, or over the limits, is image_decode", "[gltf][image_header]") {
  std::vector<std::uint8_t> scan_first = {0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9};
  CHECK(read_image_header(scan_first).error().code == Errc::ImageDecode);
  auto cut = jpeg_head(64, 64);
  cut.resize(22);  // inside the SOF0 segment
  CHECK(read_image_header(cut).error().code == Errc::ImageDecode);
  CHECK(read_image_header(jpeg_head(0, 64)).error().code == Errc::ImageDecode);
  CHECK(read_image_header(jpeg_head(20000, 1)).error().code == Errc::ImageDecode);
}

TEST_CASE("WebP dimensions come from its header", "[gltf][image_header]") {
  std::vector<std::uint8_t> rgba(5 * 3 * 4, 200);
  std::uint8_t* out = nullptr;
  std::size_t n = WebPEncodeLosslessRGBA(rgba.data(), 5, 3, 5 * 4, &out);
  REQUIRE(n > 0);
  std::vector<std::uint8_t> webp(out, out + n);
  WebPFree(out);
  auto h = read_image_header(webp);
  REQUIRE(h.has_value());
  CHECK((h->width == 5 && h->height == 3));
}

TEST_CASE("anything else is image_decode", "[gltf][image_header]") {
  std::vector<std::uint8_t> text = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'};
  CHECK(read_image_header(text).error().code == Errc::ImageDecode);
  CHECK(read_image_header({}).error().code == Errc::ImageDecode);
}
