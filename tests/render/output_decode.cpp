#include "tests/render/output_decode.hpp"

#include <cstdio>
#include <csetjmp>
#include <cstring>
#include <fstream>
#include <iterator>

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/demux.h>

namespace renderq::test {

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

namespace {

struct PngSource {
  const std::vector<std::uint8_t>* bytes;
  std::size_t at = 0;
};

void png_read(png_structp png, png_bytep out, png_size_t n) {
  auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
  if (src->at + n > src->bytes->size()) png_error(png, "truncated");
  std::memcpy(out, src->bytes->data() + src->at, n);
  src->at += n;
}

// Plain data only between setjmp and longjmp.
bool png_decode(PngSource* src, Decoded* d, std::vector<png_bytep>* rows, std::vector<std::uint8_t>* raw) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, src, png_read);
  png_read_info(png, info);
  d->width = static_cast<int>(png_get_image_width(png, info));
  d->height = static_cast<int>(png_get_image_height(png, info));
  d->depth = png_get_bit_depth(png, info);
  d->channels = png_get_channels(png, info);
  const std::size_t stride = png_get_rowbytes(png, info);
  raw->resize(stride * static_cast<std::size_t>(d->height));
  rows->resize(static_cast<std::size_t>(d->height));
  for (std::size_t y = 0; y < rows->size(); ++y) (*rows)[y] = raw->data() + y * stride;
  png_read_image(png, rows->data());
  png_read_end(png, info);
  png_textp text = nullptr;
  int n = 0;
  png_get_text(png, info, &text, &n);
  for (int i = 0; i < n; ++i) d->texts[text[i].key] = std::string(text[i].text, text[i].text_length);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

}  // namespace

Decoded decode_png(const std::vector<std::uint8_t>& bytes) {
  Decoded d;
  PngSource src{&bytes};
  std::vector<png_bytep> rows;
  std::vector<std::uint8_t> raw;
  if (!png_decode(&src, &d, &rows, &raw)) return d;
  if (d.depth == 16) {
    d.samples.resize(raw.size() / 2);
    for (std::size_t i = 0; i < d.samples.size(); ++i)
      d.samples[i] = static_cast<std::uint16_t>(raw[2 * i] << 8 | raw[2 * i + 1]);  // big-endian
  } else {
    d.samples.assign(raw.begin(), raw.end());
  }
  d.ok = true;
  return d;
}

namespace {
struct JpegErr {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
};
void jpeg_fail(j_common_ptr c) { std::longjmp(reinterpret_cast<JpegErr*>(c->err)->jump, 1); }

bool jpeg_decode(const std::vector<std::uint8_t>* bytes, Decoded* d, std::vector<std::uint8_t>* raw, JpegErr* err) {
  jpeg_decompress_struct c;
  c.err = jpeg_std_error(&err->pub);
  err->pub.error_exit = jpeg_fail;
  if (setjmp(err->jump)) {
    jpeg_destroy_decompress(&c);
    return false;
  }
  jpeg_create_decompress(&c);
  jpeg_mem_src(&c, bytes->data(), static_cast<unsigned long>(bytes->size()));
  jpeg_save_markers(&c, JPEG_COM, 0xffff);
  jpeg_read_header(&c, TRUE);
  c.out_color_space = JCS_RGB;
  jpeg_start_decompress(&c);
  d->width = static_cast<int>(c.output_width);
  d->height = static_cast<int>(c.output_height);
  d->channels = c.output_components;
  raw->resize(static_cast<std::size_t>(d->width) * static_cast<std::size_t>(d->height) * 3);
  while (c.output_scanline < c.output_height) {
    JSAMPROW row = raw->data() + static_cast<std::size_t>(c.output_scanline) * static_cast<std::size_t>(d->width) * 3;
    jpeg_read_scanlines(&c, &row, 1);
  }
  for (jpeg_saved_marker_ptr m = c.marker_list; m; m = m->next)
    if (m->marker == JPEG_COM) d->comment.assign(reinterpret_cast<const char*>(m->data), m->data_length);
  jpeg_finish_decompress(&c);
  jpeg_destroy_decompress(&c);
  return true;
}
}  // namespace

Decoded decode_jpeg(const std::vector<std::uint8_t>& bytes) {
  Decoded d;
  std::vector<std::uint8_t> raw;
  JpegErr err{};
  if (!jpeg_decode(&bytes, &d, &raw, &err)) return d;
  d.samples.assign(raw.begin(), raw.end());
  d.ok = true;
  return d;
}

Decoded decode_webp(const std::vector<std::uint8_t>& bytes) {
  Decoded d;
  int w = 0, h = 0;
  std::uint8_t* px = WebPDecodeRGBA(bytes.data(), bytes.size(), &w, &h);
  if (!px) return d;
  d.width = w;
  d.height = h;
  d.samples.assign(px, px + static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  WebPFree(px);
  d.ok = true;
  return d;
}

std::string webp_xmp(const std::vector<std::uint8_t>& bytes) {
  WebPData data{bytes.data(), bytes.size()};
  WebPDemuxer* dmux = WebPDemux(&data);
  if (!dmux) return {};
  std::string xmp;
  WebPChunkIterator it;
  if (WebPDemuxGetChunk(dmux, "XMP ", 1, &it)) {
    xmp.assign(reinterpret_cast<const char*>(it.chunk.bytes), it.chunk.size);
    WebPDemuxReleaseChunkIterator(&it);
  }
  WebPDemuxDelete(dmux);
  return xmp;
}

Animation decode_webp_animation(const std::vector<std::uint8_t>& bytes) {
  Animation a;
  WebPData data{bytes.data(), bytes.size()};
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) return a;
  options.color_mode = MODE_RGBA;
  WebPAnimDecoder* dec = WebPAnimDecoderNew(&data, &options);
  if (!dec) return a;
  WebPAnimInfo info;
  if (WebPAnimDecoderGetInfo(dec, &info)) {
    a.width = static_cast<int>(info.canvas_width);
    a.height = static_cast<int>(info.canvas_height);
    a.frames = static_cast<int>(info.frame_count);
    a.loop_count = static_cast<int>(info.loop_count);
    a.ok = true;
    while (WebPAnimDecoderHasMoreFrames(dec)) {
      std::uint8_t* buf = nullptr;
      int ts = 0;
      if (!WebPAnimDecoderGetNext(dec, &buf, &ts)) {
        a.ok = false;
        break;
      }
      a.timestamps_ms.push_back(ts);
      a.rgba.emplace_back(buf, buf + static_cast<std::size_t>(a.width) * static_cast<std::size_t>(a.height) * 4);
    }
  }
  WebPAnimDecoderDelete(dec);
  return a;
}

}  // namespace renderq::test
