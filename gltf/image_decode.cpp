#include "gltf/image_decode.hpp"

#include <algorithm>
#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

namespace renderq {

namespace {

bool size_ok(std::uint64_t w, std::uint64_t h, std::uint64_t max_pixels) {
  return w > 0 && h > 0 && w <= kMaxImageSide && h <= kMaxImageSide &&
         w * h <= std::min(std::uint64_t{1} << 28, max_pixels);
}

// ---- PNG ----------------------------------------------------------------
// libpng reports errors by longjmp. The function that calls setjmp keeps no
// local whose value changes after setjmp (everything lives in *out or in
// the reader struct), so nothing is indeterminate after the jump.

struct PngReader {
  std::span<const std::uint8_t> bytes;
  std::size_t pos = 0;
  std::vector<png_bytep> rows;  // here, not in decode_png: see above
  std::uint64_t max_pixels = 0;
  char message[160] = {};
};

void png_read_cb(png_structp png, png_bytep dst, png_size_t n) {
  auto* r = static_cast<PngReader*>(png_get_io_ptr(png));
  if (n > r->bytes.size() - r->pos) png_error(png, "unexpected end of PNG data");
  std::memcpy(dst, r->bytes.data() + r->pos, n);
  r->pos += n;
}

void png_error_cb(png_structp png, png_const_charp msg) {
  auto* r = static_cast<PngReader*>(png_get_error_ptr(png));
  std::snprintf(r->message, sizeof r->message, "%s", msg);
  png_longjmp(png, 1);
}

void png_warning_cb(png_structp, png_const_charp) {}  // e.g. sRGB profile notes

bool decode_png(PngReader* reader, Image* out) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, reader, png_error_cb,
                                           png_warning_cb);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, info ? &info : nullptr, nullptr);
    return false;
  }
  png_set_read_fn(png, reader, png_read_cb);
  png_read_info(png, info);
  if (!size_ok(png_get_image_width(png, info), png_get_image_height(png, info), reader->max_pixels))
    png_error(png, "image larger than 16384 on a side or 2^28 pixels");
  out->width = static_cast<int>(png_get_image_width(png, info));
  out->height = static_cast<int>(png_get_image_height(png, info));
  png_set_expand(png);  // palette -> RGB, grey < 8 bits -> 8 bits, tRNS -> alpha
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  if (png_get_rowbytes(png, info) != static_cast<std::size_t>(out->width) * 4)
    png_error(png, "unexpected PNG row layout");
  out->rgba.resize(static_cast<std::size_t>(out->width) * static_cast<std::size_t>(out->height) *
                   4);
  reader->rows.resize(static_cast<std::size_t>(out->height));
  for (std::size_t y = 0; y < reader->rows.size(); ++y)
    reader->rows[y] = out->rgba.data() + y * static_cast<std::size_t>(out->width) * 4;
  png_read_image(png, reader->rows.data());  // handles interlacing
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

// ---- JPEG ---------------------------------------------------------------

// Everything libjpeg touches lives in this caller-owned struct, for the
// same setjmp reason as above.
struct JpegState {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegState*>(reinterpret_cast<char*>(cinfo->err) -
                                            offsetof(JpegState, mgr));
  cinfo->err->format_message(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void jpeg_silent(j_common_ptr, int) {}

bool decode_jpeg(std::span<const std::uint8_t> bytes, Image* out, JpegState* err, std::uint64_t max_pixels) {
  jpeg_decompress_struct& cinfo = err->cinfo;
  cinfo.err = jpeg_std_error(&err->mgr);
  err->mgr.error_exit = jpeg_error_exit;
  err->mgr.emit_message = jpeg_silent;
  jpeg_create_decompress(&cinfo);
  if (setjmp(err->jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (!size_ok(cinfo.image_width, cinfo.image_height, max_pixels)) {
    std::snprintf(err->message, sizeof err->message, "%s",
                  "image larger than 16384 on a side or 2^28 pixels");
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  cinfo.out_color_space = JCS_EXT_RGBA;  // libjpeg-turbo: grey and YCbCr straight to RGBA
  jpeg_start_decompress(&cinfo);
  out->width = static_cast<int>(cinfo.output_width);
  out->height = static_cast<int>(cinfo.output_height);
  out->rgba.resize(static_cast<std::size_t>(out->width) * static_cast<std::size_t>(out->height) *
                   4);
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW row = out->rgba.data() +
                   static_cast<std::size_t>(cinfo.output_scanline) *
                       static_cast<std::size_t>(out->width) * 4;
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

// ---- WebP (EXT_texture_webp) ----------------------------------------------
// libwebp reports errors by return value; lossy, lossless and alpha WebP all
// decode to RGBA. Animated WebP (a container libwebp's simple API refuses)
// is a decode error.
Result<Image> decode_webp(std::span<const std::uint8_t> bytes, std::uint64_t max_pixels) {
  int w = 0, h = 0;
  if (!WebPGetInfo(bytes.data(), bytes.size(), &w, &h))
    return fail(Errc::ImageDecode, "WebP: cannot read the header");
  if (!size_ok(static_cast<std::uint64_t>(w), static_cast<std::uint64_t>(h), max_pixels))
    return fail(Errc::ImageDecode, "WebP: image larger than 16384 on a side or 2^28 pixels");
  Image image;
  image.width = w;
  image.height = h;
  image.rgba.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  if (!WebPDecodeRGBAInto(bytes.data(), bytes.size(), image.rgba.data(), image.rgba.size(), w * 4))
    return fail(Errc::ImageDecode, "WebP: cannot decode");
  return image;
}

}  // namespace

Result<Image> decode_image(std::span<const std::uint8_t> bytes, std::uint64_t max_pixels) {
  static constexpr std::uint8_t kPngSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  Image image;
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kPngSig, 8) == 0) {
    PngReader reader{bytes, 0, {}, max_pixels};
    if (!decode_png(&reader, &image))
      return fail(Errc::ImageDecode, std::string("PNG: ") +
                                         (reader.message[0] ? reader.message : "cannot decode"));
    return image;
  }
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    JpegState err{};
    if (!decode_jpeg(bytes, &image, &err, max_pixels))
      return fail(Errc::ImageDecode, std::string("JPEG: ") +
                                         (err.message[0] ? err.message : "cannot decode"));
    return image;
  }
  if (bytes.size() >= 12 && std::memcmp(bytes.data(), "RIFF", 4) == 0 &&
      std::memcmp(bytes.data() + 8, "WEBP", 4) == 0)
    return decode_webp(bytes, max_pixels);
  return fail(Errc::ImageDecode, "not a PNG, JPEG or WebP image");
}

}  // namespace renderq
