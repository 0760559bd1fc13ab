#include "render/encode_jpeg.hpp"

// jpeglib.h needs FILE and size_t declared first.
#include <cstdio>
#include <cstdlib>
#include <csetjmp>

#include <jpeglib.h>

namespace renderq {
namespace {

struct ErrorMgr {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorMgr*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Kept apart from C++ objects with destructors: libjpeg reports errors by
// longjmp. On success *out holds a malloc'ed buffer the caller frees.
bool compress(const StraightImage& img, const JpegOptions& o, unsigned char** out, unsigned long* size, ErrorMgr* err) {
  jpeg_compress_struct cinfo;
  cinfo.err = jpeg_std_error(&err->pub);
  err->pub.error_exit = on_error;
  if (setjmp(err->jump)) {
    jpeg_destroy_compress(&cinfo);
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, size);
  cinfo.image_width = static_cast<JDIMENSION>(img.width);
  cinfo.image_height = static_cast<JDIMENSION>(img.height);
  cinfo.input_components = 4;
  cinfo.in_color_space = JCS_EXT_RGBA;  // libjpeg-turbo reads RGBA and ignores A
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, o.quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  if (!o.comment.empty())
    jpeg_write_marker(&cinfo, JPEG_COM, reinterpret_cast<const JOCTET*>(o.comment.data()),
                      static_cast<unsigned int>(o.comment.size()));
  const JDIMENSION stride = static_cast<JDIMENSION>(img.width) * 4;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(img.rgba8.data() + static_cast<std::size_t>(cinfo.next_scanline) * stride);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_jpeg(const StraightImage& img, const JpegOptions& o) {
  if (img.depth != 8 || img.width <= 0 || img.height <= 0 ||
      img.rgba8.size() != static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * 4)
    return fail(Errc::ImageEncode, "JPEG takes an 8-bit RGBA image of the stated size");
  if (img.width > JPEG_MAX_DIMENSION || img.height > JPEG_MAX_DIMENSION)
    return fail(Errc::ImageEncode, "JPEG allows at most 65500 pixels a side");
  if (o.quality < 1 || o.quality > 100) return fail(Errc::ImageEncode, "JPEG quality must be 1..100");
  if (o.comment.size() > 65533) return fail(Errc::ImageEncode, "JPEG comment longer than 65533 bytes");
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  ErrorMgr err{};
  const bool ok = compress(img, o, &buf, &size, &err);
  std::vector<std::uint8_t> out;
  if (ok && buf) out.assign(buf, buf + size);
  std::free(buf);
  if (!ok) return fail(Errc::ImageEncode, std::string("libjpeg: ") + err.message);
  return out;
}

}  // namespace renderq
