// PNG, JPEG and WebP decoding: exact values where the format is lossless,
// named errors for anything broken.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <vector>

#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>
#include <zlib.h>

#include "gltf/image_decode.hpp"

using renderq::Errc;

namespace {

std::vector<std::uint8_t> encode_png(int w, int h, std::uint32_t format,
                                     const std::vector<std::uint8_t>& pixels) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  img.width = static_cast<png_uint_32>(w);
  img.height = static_cast<png_uint_32>(h);
  img.format = format;
  png_alloc_size_t size = 0;
  REQUIRE(png_image_write_to_memory(&img, nullptr, &size, 0, pixels.data(), 0, nullptr));
  std::vector<std::uint8_t> out(size);
  REQUIRE(png_image_write_to_memory(&img, out.data(), &size, 0, pixels.data(), 0, nullptr));
  out.resize(size);
  return out;
}

std::vector<std::uint8_t> encode_jpeg(int w, int h, int components, std::uint8_t value) {
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* mem = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &mem, &size);
  c.image_width = static_cast<JDIMENSION>(w);
  c.image_height = static_cast<JDIMENSION>(h);
  c.input_components = components;
  c.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 95, TRUE);
  jpeg_start_compress(&c, TRUE);
  std::vector<std::uint8_t> row(static_cast<std::size_t>(w * components), value);
  while (c.next_scanline < c.image_height) {
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  std::vector<std::uint8_t> out(mem, mem + size);
  std::free(mem);
  return out;
}

}  // namespace

namespace gltf_test_webp {

// A lossless WebP of w x h pixels, RGBA bytes given.
std::vector<std::uint8_t> encode_webp(int w, int h, const std::vector<std::uint8_t>& rgba) {
  std::uint8_t* out = nullptr;
  std::size_t size = WebPEncodeLosslessRGBA(rgba.data(), w, h, w * 4, &out);
  REQUIRE(size > 0);
  std::vector<std::uint8_t> bytes(out, out + size);
  WebPFree(out);
  return bytes;
}

}  // namespace gltf_test_webp

TEST_CASE("PNG RGB decodes to exact RGBA with opaque alpha", "[image]") {
  std::vector<std::uint8_t> px = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
  auto png = encode_png(2, 2, PNG_FORMAT_RGB, px);
  auto img = renderq::decode_image(png);
  REQUIRE(img.has_value());
  CHECK(img->width == 2);
  CHECK(img->height == 2);
  std::vector<std::uint8_t> want = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255};
  CHECK(img->rgba == want);
}

TEST_CASE("PNG grey+alpha expands to RGBA", "[image]") {
  std::vector<std::uint8_t> px = {100, 50};
  auto img = renderq::decode_image(encode_png(1, 1, PNG_FORMAT_GA, px));
  REQUIRE(img.has_value());
  CHECK(img->rgba == std::vector<std::uint8_t>{100, 100, 100, 50});
}

TEST_CASE("JPEG colour and grey decode to RGBA", "[image]") {
  auto rgb = renderq::decode_image(encode_jpeg(16, 8, 3, 200));
  REQUIRE(rgb.has_value());
  CHECK(rgb->width == 16);
  CHECK(rgb->height == 8);
  CHECK(static_cast<int>(rgb->rgba[0]) == Approx(200).margin(3));
  CHECK(rgb->rgba[3] == 255);
  auto grey = renderq::decode_image(encode_jpeg(8, 8, 1, 90));
  REQUIRE(grey.has_value());
  CHECK(grey->rgba[0] == grey->rgba[1]);
  CHECK(grey->rgba[3] == 255);
}

TEST_CASE("broken images are named ImageDecode errors", "[image][badinput]") {
  auto png = encode_png(4, 4, PNG_FORMAT_RGBA, std::vector<std::uint8_t>(64, 7));
  auto jpg = encode_jpeg(32, 32, 3, 128);
  std::vector<std::vector<std::uint8_t>> bad = {
      {},
      {'h', 'e', 'l', 'l', 'o'},
      std::vector<std::uint8_t>(png.begin(), png.begin() + 8),
      std::vector<std::uint8_t>(png.begin(), png.begin() + static_cast<long>(png.size() / 2)),
      std::vector<std::uint8_t>(jpg.begin(), jpg.begin() + 3),
      std::vector<std::uint8_t>(jpg.begin(), jpg.begin() + static_cast<long>(jpg.size() / 3)),
  };
  for (const auto& bytes : bad) {
    auto img = renderq::decode_image(bytes);
    REQUIRE_FALSE(img.has_value());
    CHECK(img.error().code == Errc::ImageDecode);
  }
}

TEST_CASE("an image header over the size limit fails before allocating", "[image][badinput]") {
  auto png = encode_png(1, 1, PNG_FORMAT_RGB, {1, 2, 3});
  // IHDR data starts at byte 16: width, height (big-endian), then the CRC at 29.
  const std::uint8_t huge[4] = {0x00, 0x01, 0x86, 0xA0};  // 100000
  std::memcpy(&png[16], huge, 4);
  std::memcpy(&png[20], huge, 4);
  std::uint32_t crc = static_cast<std::uint32_t>(crc32(0, &png[12], 17));
  png[29] = static_cast<std::uint8_t>(crc >> 24);
  png[30] = static_cast<std::uint8_t>(crc >> 16);
  png[31] = static_cast<std::uint8_t>(crc >> 8);
  png[32] = static_cast<std::uint8_t>(crc);
  auto img = renderq::decode_image(png);
  REQUIRE_FALSE(img.has_value());
  CHECK(img.error().code == Errc::ImageDecode);
  CHECK(img.error().detail.find("larger") != std::string::npos);
}

TEST_CASE("lossless WebP (EXT_texture_webp) decodes to exact RGBA", "[image]") {
  std::vector<std::uint8_t> px = {255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 10, 20, 30, 40,
                                  1, 2, 3, 4, 5, 6, 7, 8};
  auto bytes = gltf_test_webp::encode_webp(3, 2, px);
  auto img = renderq::decode_image(bytes);
  REQUIRE(img.has_value());
  CHECK(img->width == 3);
  CHECK(img->height == 2);
  // Lossless WebP may change the colour of fully transparent pixels; the
  // others come back exactly.
  for (std::size_t i = 0; i < px.size(); i += 4) {
    if (px[i + 3] == 0) continue;
    for (std::size_t k = 0; k < 4; ++k) CHECK(int(img->rgba[i + k]) == int(px[i + k]));
  }
}

TEST_CASE("truncated or corrupt WebP is a named ImageDecode error", "[image][badinput]") {
  std::vector<std::uint8_t> px(16 * 16 * 4, 200);
  auto bytes = gltf_test_webp::encode_webp(16, 16, px);
  for (std::size_t n : {std::size_t{12}, std::size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    auto img = renderq::decode_image(cut);
    INFO("cut at " << n);
    REQUIRE_FALSE(img.has_value());
    CHECK(img.error().code == Errc::ImageDecode);
  }
  std::vector<std::uint8_t> bad = bytes;
  for (std::size_t i = 20; i < bad.size(); ++i) bad[i] ^= 0x5A;
  auto img = renderq::decode_image(bad);
  REQUIRE_FALSE(img.has_value());
  CHECK(img.error().code == Errc::ImageDecode);
}
