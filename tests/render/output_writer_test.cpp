// Output formats without a GPU: every encoder's file decodes with the
// reference decoder (libpng, libjpeg, libwebp, libwebpdemux) to the pixels
// given, PNG and JPEG carry the spec, and writes are atomic.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/output_format.hpp"
#include "render/encode_jpeg.hpp"
#include "render/encode_png.hpp"
#include "render/encode_webp.hpp"
#include "render/frame.hpp"
#include "render/output_writer.hpp"
#include "tests/render/output_decode.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
using renderq::test::TempDir;
namespace fs = std::filesystem;

namespace {

// A deterministic image with every alpha from 0 to 255 and smooth colour.
StraightImage pattern8(int w, int h, int seed = 0) {
  StraightImage img{.width = w, .height = h, .depth = 8, .rgba8 = {}, .rgba16 = {}};
  img.rgba8.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = &img.rgba8[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4];
      p[0] = static_cast<std::uint8_t>(x * 255 / std::max(w - 1, 1));
      p[1] = static_cast<std::uint8_t>(y * 255 / std::max(h - 1, 1));
      p[2] = static_cast<std::uint8_t>((x + y + seed * 40) & 0xff);
      p[3] = static_cast<std::uint8_t>((x * 7 + y * 3) & 0xff);
    }
  return img;
}

RgbaFrame frame_of(const StraightImage& img) {
  return RgbaFrame{.width = img.width, .height = img.height, .depth = 8, .pixels = img.rgba8, .pixels16 = {},
                   .bottom_up = false, .premultiplied = false};
}

// Equal where visible: an animation's canvas may not keep the colour under alpha 0.
bool same_visible(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t p = 0; p < a.size(); p += 4) {
    if (a[p + 3] != b[p + 3]) return false;
    if (a[p + 3] != 0 && (a[p] != b[p] || a[p + 1] != b[p + 1] || a[p + 2] != b[p + 2])) return false;
  }
  return true;
}

// The spec in an XMP packet's renderq:spec (the JSON is ASCII: only XML's
// own escapes to undo).
RenderSpec spec_in_xmp(const std::string& xmp) {
  const std::string open = "<renderq:spec>", close = "</renderq:spec>";
  const std::size_t a = xmp.find(open), b = xmp.find(close);
  if (a == std::string::npos || b == std::string::npos) FAIL("no renderq:spec in: " << xmp);
  std::string text = xmp.substr(a + open.size(), b - a - open.size());
  for (auto [esc, ch] : {std::pair{"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
    for (std::size_t at; (at = text.find(esc)) != std::string::npos;) text.replace(at, std::strlen(esc), ch);
  auto spec = spec_from_json(nlohmann::json::parse(text));
  if (!spec) FAIL(spec.error().message());
  return *spec;
}

std::vector<std::uint16_t> widen(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

RenderSpec spec_for(const fs::path& out, int w, int h) {
  RenderSpec s;
  s.scene = "/scenes/box.glb";
  s.output = out.string();
  s.width = w;
  s.height = h;
  return s;
}

bool has_temp_files(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("an 8-bit PNG decodes with libpng to the pixels given", "[output][png]") {
  const StraightImage img = pattern8(37, 23);
  for (int level : {0, 1, 6, 9}) {
    auto png = encode_png(img, PngOptions{.level = level, .text_key = {}, .text = {}});
    REQUIRE(png);
    auto d = test::decode_png(*png);
    REQUIRE(d.ok);
    CHECK(d.width == 37);
    CHECK(d.height == 23);
    CHECK(d.depth == 8);
    CHECK(d.channels == 4);
    CHECK(d.samples == widen(img.rgba8));
  }
}

TEST_CASE("a 16-bit PNG decodes with libpng to the 16-bit values given", "[output][png]") {
  StraightImage img{.width = 19, .height = 11, .depth = 16, .rgba8 = {}, .rgba16 = {}};
  img.rgba16.resize(19 * 11 * 4);
  for (std::size_t i = 0; i < img.rgba16.size(); ++i) img.rgba16[i] = static_cast<std::uint16_t>(i * 2654435761u >> 7);
  auto png = encode_png(img, PngOptions{});
  REQUIRE(png);
  auto d = test::decode_png(*png);
  REQUIRE(d.ok);
  CHECK(d.depth == 16);
  CHECK(d.samples == img.rgba16);
}

TEST_CASE("a 16-bit frame from a linear target is encoded as sRGB", "[output][png]") {
  // Linear 0.5 opaque is sRGB 0.73536 (48192 of 65535); premultiplied half-transparent linear
  // 0.25 at alpha 0.5 is the same colour.
  RgbaFrame f{.width = 2, .height = 1, .depth = 16, .pixels = {}, .pixels16 = {32768, 32768, 32768, 65535, 16384, 16384, 16384, 32768},
              .bottom_up = true, .premultiplied = true};
  StraightImage img = to_straight(std::move(f));
  REQUIRE(img.depth == 16);
  CHECK(std::abs(img.rgba16[0] - 48192) <= 1);
  CHECK(std::abs(img.rgba16[4] - 48192) <= 1);
  CHECK(img.rgba16[7] == 32768);
}

TEST_CASE("the PNG text chunk round-trips the spec, paths as file names", "[output][png]") {
  TempDir dir;
  RenderSpec s = spec_for(dir.path / "o.png", 8, 6);
  s.environment = "/srv/hdr/sky.hdr";
  s.exposure = -1.25;
  s.tonemap = ToneMap::Aces;
  s.png_level = 3;
  s.quality = 70;
  s.background = std::array<std::uint8_t, 3>{1, 2, 3};
  s.orbit.yaw_deg = 33.5;
  s.scene = "/scènes/ünïcode.glb";  // tEXt is Latin-1: the JSON escapes it
  auto w = OutputWriter::create(s);
  REQUIRE(w);
  REQUIRE((*w)->add_frame(0, frame_of(pattern8(8, 6))));
  auto files = (*w)->finish();
  REQUIRE(files);
  REQUIRE(*files == std::vector<std::string>{s.output});
  auto d = test::decode_png(test::read_bytes(s.output));
  REQUIRE(d.ok);
  REQUIRE(d.texts.count(std::string(kPngSpecKeyword)));
  auto back = spec_from_json(nlohmann::json::parse(d.texts[std::string(kPngSpecKeyword)]));
  REQUIRE(back);
  CHECK(*back == embedded_spec(s));
  // No folder of this machine in the image; every render option as given.
  CHECK(back->scene == "ünïcode.glb");
  CHECK(back->output == "o.png");
  CHECK(back->environment == "sky.hdr");
  RenderSpec same = *back;
  same.scene = s.scene;
  same.output = s.output;
  same.environment = s.environment;
  CHECK(same == s);
}

// validate_values refuses such names now; a writer given one anyway (a spec
// stored before that) writes the image rather than throwing.
TEST_CASE("a scene name that is not UTF-8 is replaced in the embedded spec, not thrown on", "[output][png]") {
  TempDir dir;
  RenderSpec s = spec_for(dir.path / "o.png", 8, 6);
  s.scene = "/scenes/caf\xe9.glb";
  auto w = OutputWriter::create(s);
  REQUIRE(w);
  REQUIRE((*w)->add_frame(0, frame_of(pattern8(8, 6))));
  REQUIRE((*w)->finish());
  auto d = test::decode_png(test::read_bytes(s.output));
  REQUIRE(d.ok);
  auto back = spec_from_json(nlohmann::json::parse(d.texts[std::string(kPngSpecKeyword)]));
  REQUIRE(back);
  CHECK(back->scene == "caf\xef\xbf\xbd.glb");
}

TEST_CASE("a JPEG decodes with libjpeg close to the pixels and carries the spec", "[output][jpeg]") {
  StraightImage img = pattern8(64, 48);
  for (std::size_t i = 3; i < img.rgba8.size(); i += 4) img.rgba8[i] = 255;
  auto jpg = encode_jpeg(img, JpegOptions{.quality = 95, .comment = "{\"version\":1}"});
  REQUIRE(jpg);
  auto d = test::decode_jpeg(*jpg);
  REQUIRE(d.ok);
  CHECK(d.width == 64);
  CHECK(d.height == 48);
  CHECK(d.channels == 3);
  CHECK(d.comment == "{\"version\":1}");
  double err = 0;
  for (std::size_t p = 0, q = 0; p < img.rgba8.size(); p += 4, q += 3)
    for (int k = 0; k < 3; ++k) err += std::abs(static_cast<int>(img.rgba8[p + static_cast<std::size_t>(k)]) - d.samples[q + static_cast<std::size_t>(k)]);
  CHECK(err / (64.0 * 48 * 3) < 4.0);  // mean absolute error at quality 95
  // Lower quality, smaller file.
  auto small = encode_jpeg(img, JpegOptions{.quality = 20, .comment = {}});
  REQUIRE(small);
  CHECK(small->size() < jpg->size());
  CHECK(encode_jpeg(img, JpegOptions{.quality = 0, .comment = {}}).error().code == Errc::ImageEncode);
}

TEST_CASE("a lossless WebP decodes to exactly the pixels given, a lossy one close", "[output][webp]") {
  const StraightImage img = pattern8(40, 30);
  auto webp = encode_webp(img, WebPOptions{});
  REQUIRE(webp);
  auto d = test::decode_webp(*webp);
  REQUIRE(d.ok);
  CHECK(d.width == 40);
  CHECK(d.samples == widen(img.rgba8));
  StraightImage opaque = img;
  for (std::size_t i = 3; i < opaque.rgba8.size(); i += 4) opaque.rgba8[i] = 255;
  auto lossy = encode_webp(opaque, WebPOptions{.quality = 90});
  REQUIRE(lossy);
  auto l = test::decode_webp(*lossy);
  REQUIRE(l.ok);
  double err = 0;
  for (std::size_t i = 0; i < opaque.rgba8.size(); ++i) err += std::abs(static_cast<int>(opaque.rgba8[i]) - l.samples[i]);
  CHECK(err / static_cast<double>(opaque.rgba8.size()) < 6.0);
  CHECK(encode_webp(img, WebPOptions{.quality = 101}).error().code == Errc::ImageEncode);
}

TEST_CASE("a multi-frame .webp is one animation with the frame count and timing asked", "[output][webp]") {
  TempDir dir;
  RenderSpec s = spec_for(dir.path / "spin.webp", 16, 12);
  s.frames = 5;
  s.turntable = true;
  s.fps = 20;  // 50 ms a frame
  REQUIRE(writes_animation(s));
  auto w = OutputWriter::create(s);
  REQUIRE(w);
  // Frames may arrive out of order (an encoder pool): they are kept until due.
  for (int i : {1, 0, 3, 2, 4}) REQUIRE((*w)->add_frame(i, frame_of(pattern8(16, 12, i))));
  auto files = (*w)->finish();
  REQUIRE(files);
  CHECK(*files == std::vector<std::string>{s.output});
  CHECK_FALSE(fs::exists(dir.path / "spin_0000.webp"));
  auto a = test::decode_webp_animation(test::read_bytes(s.output));
  REQUIRE(a.ok);
  CHECK(a.frames == 5);
  CHECK(a.loop_count == 0);
  CHECK(a.timestamps_ms == std::vector<int>{50, 100, 150, 200, 250});
  CHECK(spec_in_xmp(test::webp_xmp(test::read_bytes(s.output))) == embedded_spec(s));
  for (int i = 0; i < 5; ++i) CHECK(same_visible(a.rgba[static_cast<std::size_t>(i)], pattern8(16, 12, i).rgba8));
  CHECK_FALSE(has_temp_files(dir.path));
}

TEST_CASE("the default frame rate of an animation is kDefaultFps", "[output][webp]") {
  TempDir dir;
  RenderSpec s = spec_for(dir.path / "a.webp", 4, 4);
  s.frames = 2;
  auto w = OutputWriter::create(s);
  REQUIRE(w);
  for (int i = 0; i < 2; ++i) REQUIRE((*w)->add_frame(i, frame_of(pattern8(4, 4, i))));
  REQUIRE((*w)->finish());
  auto a = test::decode_webp_animation(test::read_bytes(s.output));
  REQUIRE(a.ok);
  CHECK(a.timestamps_ms == std::vector<int>{1000 / kDefaultFps, 2000 / kDefaultFps});
}

TEST_CASE("an animation missing a frame writes nothing", "[output][webp]") {
  TempDir dir;
  RenderSpec s = spec_for(dir.path / "a.webp", 4, 4);
  s.frames = 3;
  auto w = OutputWriter::create(s);
  REQUIRE(w);
  REQUIRE((*w)->add_frame(0, frame_of(pattern8(4, 4))));
  REQUIRE((*w)->add_frame(2, frame_of(pattern8(4, 4))));
  CHECK((*w)->finish().error().code == Errc::ImageEncode);
  CHECK(fs::is_empty(dir.path));
}

TEST_CASE("multi-frame stills are one file per frame, named by frame_path", "[output]") {
  TempDir dir;
  for (const char* name : {"f.jpg", "f.webp"}) {
    RenderSpec s = spec_for(dir.path / (std::string("%03d_") + name), 6, 4);
    s.frames = 3;
    s.background = std::array<std::uint8_t, 3>{0, 0, 0};
    REQUIRE_FALSE(writes_animation(s));
    auto w = OutputWriter::create(s);
    REQUIRE(w);
    for (int i = 0; i < 3; ++i) REQUIRE((*w)->add_frame(i, frame_of(pattern8(6, 4))));
    auto files = (*w)->finish();
    REQUIRE(files);
    REQUIRE(files->size() == 3);
    for (int i = 0; i < 3; ++i) {
      CHECK((*files)[static_cast<std::size_t>(i)] == frame_path(s, i));
      auto bytes = test::read_bytes(frame_path(s, i));
      auto d = std::string(name).ends_with(".jpg") ? test::decode_jpeg(bytes) : test::decode_webp(bytes);
      CHECK(d.ok);
      if (std::string(name).ends_with(".jpg"))
        CHECK(spec_from_json(nlohmann::json::parse(d.comment)).value() == embedded_spec(s));
      else
        CHECK(spec_in_xmp(test::webp_xmp(bytes)) == embedded_spec(s));
    }
  }
}

TEST_CASE("the writer refuses what its format cannot hold and frames that do not fit", "[output]") {
  TempDir dir;
  RenderSpec s = spec_for(dir.path / "x.exr", 4, 4);
  CHECK(OutputWriter::create(s).error().code == Errc::OutputFormatUnknown);
  s.output = (dir.path / "x.jpg").string();
  CHECK(OutputWriter::create(s).error().code == Errc::OutputFormatUnsupported);  // transparent
  s.output = (dir.path / "x.png").string();
  auto w = OutputWriter::create(s);
  REQUIRE(w);
  CHECK((*w)->add_frame(1, frame_of(pattern8(4, 4))).error().code == Errc::InvalidArgument);
  CHECK((*w)->add_frame(0, frame_of(pattern8(5, 4))).error().code == Errc::InvalidArgument);
  REQUIRE((*w)->add_frame(0, frame_of(pattern8(4, 4))));
  CHECK((*w)->add_frame(0, frame_of(pattern8(4, 4))).error().code == Errc::InvalidArgument);
}

TEST_CASE("a write that fails leaves neither the target nor a temporary file", "[output]") {
  TempDir dir;
  // The target is a non-empty folder: the rename fails after the data is written.
  fs::create_directories(dir.path / "o.png" / "inside");
  RenderSpec s = spec_for(dir.path / "o.png", 4, 4);
  auto w = OutputWriter::create(s);
  REQUIRE(w);
  CHECK((*w)->add_frame(0, frame_of(pattern8(4, 4))).error().code == Errc::OutputNotWritable);
  CHECK_FALSE(has_temp_files(dir.path));
  auto files = (*w)->finish();
  REQUIRE(files);
  CHECK(files->empty());
  // A folder that cannot be written: nothing is created at all.
  if (::geteuid() != 0) {
    fs::create_directories(dir.path / "ro");
    ::chmod((dir.path / "ro").c_str(), 0555);
    RenderSpec r = spec_for(dir.path / "ro" / "o.webp", 4, 4);
    auto rw = OutputWriter::create(r);
    REQUIRE(rw);
    CHECK((*rw)->add_frame(0, frame_of(pattern8(4, 4))).error().code == Errc::OutputNotWritable);
    CHECK(fs::is_empty(dir.path / "ro"));
    ::chmod((dir.path / "ro").c_str(), 0755);
  }
}

TEST_CASE("with a stage tag every file goes to its staged name only, finish names the final paths",
          "[output][staged]") {
  TempDir dir;
  RenderSpec seq = spec_for(dir.path / "f_%02d.png", 4, 4);
  seq.frames = 2;
  auto w = OutputWriter::create(seq, "7-1-h-9");
  REQUIRE(w);
  CHECK((*w)->written_path(1) == (dir.path / ".f_01.png.stage-7-1-h-9").string());
  for (int i = 0; i < 2; ++i) REQUIRE((*w)->add_frame(i, frame_of(pattern8(4, 4, i))));
  auto files = (*w)->finish();
  REQUIRE(files);
  CHECK(*files == std::vector<std::string>{frame_path(seq, 0), frame_path(seq, 1)});
  CHECK_FALSE(fs::exists(frame_path(seq, 0)));
  auto d = test::decode_png(test::read_bytes((*w)->written_path(0)));
  REQUIRE(d.ok);
  // The image carries the final name, not the staged one.
  CHECK(spec_from_json(nlohmann::json::parse(d.texts[std::string(kPngSpecKeyword)])).value() == embedded_spec(seq));

  RenderSpec anim = spec_for(dir.path / "spin.webp", 4, 4);
  anim.frames = 2;
  auto a = OutputWriter::create(anim, "8-2-h-9");
  REQUIRE(a);
  for (int i = 0; i < 2; ++i) REQUIRE((*a)->add_frame(i, frame_of(pattern8(4, 4, i))));
  REQUIRE((*a)->finish());
  CHECK_FALSE(fs::exists(anim.output));
  CHECK(test::decode_webp_animation(test::read_bytes((dir.path / ".spin.webp.stage-8-2-h-9").string())).ok);
  CHECK_FALSE(has_temp_files(dir.path));
}
