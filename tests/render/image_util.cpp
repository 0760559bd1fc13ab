#include "tests/render/image_util.hpp"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "render/atomic_file.hpp"
#include "render/encode_png.hpp"
#include "render/frame.hpp"

namespace renderq::test {

Result<Png> read_png(const std::string& path) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&img, path.c_str())) return fail(Errc::ImageDecode, path + ": " + img.message);
  img.format = PNG_FORMAT_RGBA;
  Png out;
  out.width = static_cast<int>(img.width);
  out.height = static_cast<int>(img.height);
  out.rgba.resize(PNG_IMAGE_SIZE(img));
  if (!png_image_finish_read(&img, nullptr, out.rgba.data(), 0, nullptr)) {
    png_image_free(&img);
    return fail(Errc::ImageDecode, path + ": " + img.message);
  }
  return out;
}

namespace {
// pixelmatch's YIQ delta between two RGB colours in [0, 255].
double yiq_delta(double r1, double g1, double b1, double r2, double g2, double b2) {
  double y = (r1 - r2) * 0.29889531 + (g1 - g2) * 0.58662247 + (b1 - b2) * 0.11448223;
  double i = (r1 - r2) * 0.59597799 - (g1 - g2) * 0.27417610 - (b1 - b2) * 0.32180189;
  double q = (r1 - r2) * 0.21147017 - (g1 - g2) * 0.52261711 + (b1 - b2) * 0.31114694;
  return 0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q;
}
constexpr double kMaxDelta = 35215.0;  // pixelmatch's largest possible delta
}  // namespace

double yiq_rms_db(const Png& a, const Png& b, const std::string& diff_path) {
  if (a.width != b.width || a.height != b.height) return std::numeric_limits<double>::infinity();
  double sum = 0;
  std::size_t n = 0;
  RgbaFrame diff{.width = a.width, .height = a.height, .pixels = std::vector<std::uint8_t>(a.rgba.size())};
  for (std::size_t p = 0; p < a.rgba.size(); p += 4) {
    double aa = a.rgba[p + 3] / 255.0, ab = b.rgba[p + 3] / 255.0;
    double d = 0;
    if (aa > 0 || ab > 0) {
      auto over_white = [](std::uint8_t c, double alpha) { return 255.0 + (c - 255.0) * alpha; };
      d = yiq_delta(over_white(a.rgba[p], aa), over_white(a.rgba[p + 1], aa), over_white(a.rgba[p + 2], aa),
                    over_white(b.rgba[p], ab), over_white(b.rgba[p + 1], ab), over_white(b.rgba[p + 2], ab)) /
          kMaxDelta;
      sum += d;
      ++n;
    }
    auto grey = static_cast<std::uint8_t>(std::lround(200.0 + 55.0 * (1.0 - aa)));
    std::uint8_t red = static_cast<std::uint8_t>(std::min(255.0, 255.0 * std::sqrt(d) * 4));
    diff.pixels[p] = std::max(grey, red);
    diff.pixels[p + 1] = red > 8 ? 0 : grey;
    diff.pixels[p + 2] = red > 8 ? 0 : grey;
    diff.pixels[p + 3] = 255;
  }
  if (!diff_path.empty())
    if (auto png = encode_png(to_straight(std::move(diff)), PngOptions{}); png) (void)write_file_atomic(diff_path, *png);
  if (n == 0 || sum == 0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(sum / static_cast<double>(n));
}

}  // namespace renderq::test
