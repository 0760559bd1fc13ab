// encode_bench: encode time and size of one image through every output
// encoder, against libpng (the PNG writer renderq used before libdeflate:
// same SUB filter, same zlib level, same chunks) in the same run.
//
//   encode_bench [--runs N] IMAGE.png
//
// Prints one tab-separated line per encoder: name, setting, median thread
// CPU ms, median wall ms, bytes. The encoders take turns within each run, so
// a shared machine's changing load falls on all of them alike; CPU time is
// the figure to compare there. bench/encode_bench.sh makes the image and the
// table.
#include <png.h>

#include <algorithm>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <cstdlib>
#include <string>
#include <vector>

#include "render/encode_jpeg.hpp"
#include "render/encode_png.hpp"
#include "render/encode_webp.hpp"
#include "render/frame.hpp"

namespace {

using Clock = std::chrono::steady_clock;

bool read_png(const char* path, renderq::StraightImage& img) {
  png_image p{};
  p.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&p, path)) return false;
  p.format = PNG_FORMAT_RGBA;
  img.width = static_cast<int>(p.width);
  img.height = static_cast<int>(p.height);
  img.depth = 8;
  img.rgba8.resize(PNG_IMAGE_SIZE(p));
  return png_image_finish_read(&p, nullptr, img.rgba8.data(), 0, nullptr) != 0;
}

void on_write(png_structp png, png_bytep data, png_size_t n) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + n);
}
void on_flush(png_structp) {}

// The baseline: what render/png_writer.cpp did, into memory. No error
// path: the bench's input is known good.
std::vector<std::uint8_t> libpng_encode(const renderq::StraightImage& img, int level, const std::string& text) {
  std::vector<std::uint8_t> out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fprintf(stderr, "encode_bench: libpng failed\n");
    std::exit(1);
  }
  png_set_write_fn(png, &out, on_write, on_flush);
  png_set_compression_level(png, level);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, level == 0 ? PNG_FILTER_NONE : PNG_FILTER_SUB);
  png_set_IHDR(png, info, static_cast<png_uint_32>(img.width), static_cast<png_uint_32>(img.height), img.depth,
               PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
  png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
  png_text t{};
  t.compression = PNG_TEXT_COMPRESSION_NONE;
  t.key = const_cast<char*>("renderq");
  t.text = const_cast<char*>(text.c_str());
  t.text_length = text.size();
  png_set_text(png, info, &t, 1);
  png_write_info(png, info);
  if (img.depth == 16) png_set_swap(png);  // our samples are native (little-endian) order
  const std::size_t stride = static_cast<std::size_t>(img.width) * (img.depth == 16 ? 8 : 4);
  const auto* base = img.depth == 16 ? reinterpret_cast<const std::uint8_t*>(img.rgba16.data()) : img.rgba8.data();
  for (int y = 0; y < img.height; ++y)
    png_write_row(png, const_cast<png_bytep>(base + static_cast<std::size_t>(y) * stride));
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Encoder {
  std::string name, setting;
  std::function<std::size_t()> run;  // returns the encoded size
  std::vector<double> cpu, wall;
  std::size_t bytes = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void measure(std::vector<Encoder>& encoders, int runs) {
  for (Encoder& e : encoders) e.bytes = e.run();  // warm-up: allocations, tables, caches
  for (int r = 0; r < runs; ++r)
    for (Encoder& e : encoders) {
      const double c0 = thread_cpu_ms();
      const auto t0 = Clock::now();
      e.bytes = e.run();
      e.wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      e.cpu.push_back(thread_cpu_ms() - c0);
    }
  for (const Encoder& e : encoders)
    std::printf("%s\t%s\t%.2f\t%.2f\t%zu\n", e.name.c_str(), e.setting.c_str(), median(e.cpu), median(e.wall), e.bytes);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace renderq;
  int runs = 7;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else path = argv[i];
  }
  StraightImage img;
  if (!path || !read_png(path, img)) {
    std::fprintf(stderr, "usage: encode_bench [--runs N] IMAGE.png (an 8-bit RGBA PNG)\n");
    return 2;
  }
  const std::string text(600, 'x');  // about the size of a spec's JSON
  StraightImage opaque = img;
  for (std::size_t i = 3; i < opaque.rgba8.size(); i += 4) opaque.rgba8[i] = 255;
  StraightImage deep{.width = img.width, .height = img.height, .depth = 16, .rgba8 = {}, .rgba16 = {}};
  deep.rgba16.resize(img.rgba8.size());
  for (std::size_t i = 0; i < img.rgba8.size(); ++i) deep.rgba16[i] = static_cast<std::uint16_t>(img.rgba8[i] * 257);

  std::vector<Encoder> e;
  for (int level : {1, 2, 6, 9}) {
    const std::string l = "level " + std::to_string(level);
    e.push_back({"png-libpng", l, [&img, &text, level] { return libpng_encode(img, level, text).size(); }, {}, {}, 0});
    e.push_back({"png-libdeflate", l, [&img, &text, level] {
                   return encode_png(img, PngOptions{.level = level, .text_key = "renderq", .text = text}).value().size();
                 }, {}, {}, 0});
  }
  e.push_back({"png16-libpng", "level 1", [&] { return libpng_encode(deep, 1, text).size(); }, {}, {}, 0});
  e.push_back({"png16-libdeflate", "level 1", [&] {
                 return encode_png(deep, PngOptions{.level = 1, .text_key = "renderq", .text = text}).value().size();
               }, {}, {}, 0});
  for (int q : {90, 75})
    e.push_back({"jpeg", "quality " + std::to_string(q), [&opaque, &text, q] {
                   return encode_jpeg(opaque, JpegOptions{.quality = q, .comment = text}).value().size();
                 }, {}, {}, 0});
  e.push_back({"webp", "lossless", [&] { return encode_webp(img, WebPOptions{}).value().size(); }, {}, {}, 0});
  e.push_back({"webp", "quality 90", [&] { return encode_webp(img, WebPOptions{.quality = 90}).value().size(); }, {}, {}, 0});
  measure(e, runs);
  return 0;
}
