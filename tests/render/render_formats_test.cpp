// The renderer's output formats on the machine's EGL device (llvmpipe in
// CI): a 16-bit PNG holds the same picture as the 8-bit one with more
// precision, unlit colours come out exact at 16 bits too, and JPEG and
// WebP files decode to the render.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "render/color.hpp"
#include "render/renderer.hpp"
#include "tests/render/output_decode.hpp"
#include "tests/render/test_scenes.hpp"
#include "tests/render/test_renderer.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace renderq;
using renderq::test::TempDir;
using renderq::test::shared_renderer;

namespace {


RenderSpec facing(const fs::path& out, int size = 64) {
  RenderSpec s;
  s.scene = "/in-memory.glb";
  s.output = out.string();
  s.width = size;
  s.height = size;
  s.orbit.yaw_deg = 0;
  s.orbit.pitch_deg = 0;
  return s;
}

test::Decoded render_decoded(const Scene& scene, const RenderSpec& spec) {
  auto r = shared_renderer().render_scene(scene, spec, {});
  if (!r) FAIL(r.error().message());
  REQUIRE(r->outputs == std::vector<std::string>{spec.output});
  const auto bytes = test::read_bytes(spec.output);
  auto d = spec.output.ends_with(".png")    ? test::decode_png(bytes)
           : spec.output.ends_with(".jpg") ? test::decode_jpeg(bytes)
                                            : test::decode_webp(bytes);
  REQUIRE(d.ok);
  return d;
}

}  // namespace

TEST_CASE("a 16-bit PNG renders an unlit colour exactly, as 16-bit sRGB", "[render][output]") {
  TempDir dir;
  const std::uint8_t codes[3] = {51, 128, 204};
  glm::vec3 color(srgb_to_linear(codes[0] / 255.0f), srgb_to_linear(codes[1] / 255.0f),
                  srgb_to_linear(codes[2] / 255.0f));
  Scene scene = test::scene_of({test::quad(2.0f)}, test::unlit(glm::vec4(color, 1.0f)));
  RenderSpec s = facing(dir.path / "unlit16.png");
  s.orbit.distance = 1.0;  // the quad fills the image
  s.depth = 16;
  auto d = render_decoded(scene, s);
  REQUIRE(d.depth == 16);
  const std::size_t centre = (32 * 64 + 32) * 4;
  for (std::size_t k = 0; k < 3; ++k)  // RGBA16 holds linear values to 1/65535; back in sRGB within 1/2000
    CHECK(std::abs(static_cast<int>(d.samples[centre + k]) - codes[k] * 257) <= 40);
  CHECK(d.samples[centre + 3] == 65535);
}

TEST_CASE("a 16-bit PNG is the 8-bit picture with more precision", "[render][output]") {
  TempDir dir;
  Scene scene = test::scene_of({test::sphere(1.0f)}, test::unlit(glm::vec4(0.8f, 0.5f, 0.2f, 1.0f)));
  for (bool transparent : {false, true}) {
    RenderSpec s = facing(dir.path / "p8.png");
    if (!transparent) s.background = std::array<std::uint8_t, 3>{0x20, 0x40, 0x60};
    auto d8 = render_decoded(scene, s);
    s.output = (dir.path / "p16.png").string();
    s.depth = 16;
    auto d16 = render_decoded(scene, s);
    REQUIRE(d16.samples.size() == d8.samples.size());
    double err = 0, worst = 0;
    for (std::size_t i = 0; i < d8.samples.size(); ++i) {
      if (d8.samples[i - i % 4 + 3] == 0) continue;  // colour under alpha 0 is not part of the picture
      double e = std::abs(d16.samples[i] / 257.0 - d8.samples[i]);
      err += e;
      worst = std::max(worst, e);
    }
    CHECK(err / static_cast<double>(d8.samples.size()) < 0.5);
    CHECK(worst <= 3.0);  // edges: 8-bit rounding of partly covered pixels
  }
}

TEST_CASE("JPEG and WebP renders decode to the picture", "[render][output]") {
  TempDir dir;
  Scene scene = test::scene_of({test::quad(2.0f)}, test::unlit(glm::vec4(0.2f, 0.4f, 0.6f, 1.0f)));
  RenderSpec s = facing(dir.path / "x.png");
  s.orbit.distance = 1.0;
  s.background = std::array<std::uint8_t, 3>{0, 0, 0};
  auto png = render_decoded(scene, s);
  s.output = (dir.path / "x.jpg").string();
  auto jpg = render_decoded(scene, s);
  CHECK(jpg.channels == 3);
  CHECK_FALSE(jpg.comment.empty());  // the spec's JSON
  s.output = (dir.path / "x.webp").string();
  auto webp = render_decoded(scene, s);
  CHECK(webp.samples == png.samples);  // lossless
  const std::size_t c = 32 * 64 + 32;
  for (std::size_t k = 0; k < 3; ++k)
    CHECK(std::abs(static_cast<int>(jpg.samples[c * 3 + k]) - static_cast<int>(png.samples[c * 4 + k])) <= 3);
}

TEST_CASE("render_image of a 16-bit spec shows the picture at 8 bits", "[render][output][preview]") {
  TempDir dir;
  // render_image loads spec.scene (the preview's path): a sample file.
  RenderSpec s = facing(dir.path / "preview.png");  // never written
  s.scene = (fs::path(RENDERQ_SOURCE_DIR) / "tests/data/samples/Box/glTF-Binary/Box.glb").string();
  s.depth = 16;
  auto image16 = shared_renderer().render_image(s);
  REQUIRE(image16);
  s.depth = 8;
  auto image8 = shared_renderer().render_image(s);
  REQUIRE(image8);
  REQUIRE(image16->rgba.size() == image8->rgba.size());
  int worst = 0;
  for (std::size_t i = 0; i < image8->rgba.size(); ++i)
    if (image8->rgba[i - i % 4 + 3] != 0) worst = std::max(worst, std::abs(image16->rgba[i] - image8->rgba[i]));
  CHECK(worst <= 3);  // partly covered edges round differently at 8 bits
  CHECK_FALSE(fs::exists(s.output));
}
