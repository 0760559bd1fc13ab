// The deferred path (render/gl_deferred.hpp) against the forward pass: the
// same scenes through two renderers, one made with RENDERQ_DEFERRED=1 (taken
// wherever the scene allows it, whatever the triangle size) and one with
// RENDERQ_DEFERRED=0, compared pixel by pixel. Where the scene allows it the
// images differ by at most a few 8-bit steps at a few pixels; where it does
// not (textures, blending, punctual lights) the deferred renderer draws
// forward, so the images are the same.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "render/renderer.hpp"
#include "tests/render/image_util.hpp"
#include "tests/render/test_scenes.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
using namespace renderq::test;

namespace {

std::unique_ptr<Renderer> make(const char* deferred) {
  ::setenv("RENDERQ_DEFERRED", deferred, 1);
  auto r = Renderer::create(DeviceSelector{});
  ::unsetenv("RENDERQ_DEFERRED");
  if (!r) FAIL("no renderer: " << r.error().message());
  return std::move(*r);
}

struct Pair {
  TempDir cache;
  std::unique_ptr<Renderer> deferred, forward;
  Pair() {
    ::setenv("RENDERQ_CACHE_DIR", cache.path.c_str(), 1);
    deferred = make("1");
    forward = make("0");
  }
};

Pair& pair() {
  static Pair p;
  return p;
}

struct Difference {
  int max = 0;            // largest per-channel difference, in 8-bit steps
  double mean = 0.0;      // mean per-channel difference, in 8-bit steps
  double differing = 0.0; // share of pixels with any difference
};

Png render(Renderer& r, const RenderSpec& spec, const Scene* scene, const std::string& path) {
  RenderSpec s = spec;
  s.output = path;
  auto rep = scene ? r.render_scene(*scene, s, {}) : r.render(s);
  REQUIRE(rep);
  auto png = read_png(path);
  REQUIRE(png);
  return std::move(*png);
}

Difference difference(const Png& a, const Png& b) {
  REQUIRE(a.rgba.size() == b.rgba.size());
  Difference d;
  std::size_t differing = 0;
  double sum = 0.0;
  for (std::size_t i = 0; i < a.rgba.size(); i += 4) {
    int worst = 0;
    for (std::size_t c = 0; c < 4; ++c) {
      const int v = std::abs(a.rgba[i + c] - b.rgba[i + c]);
      worst = std::max(worst, v);
      sum += v;
    }
    d.max = std::max(d.max, worst);
    if (worst != 0) ++differing;
  }
  d.mean = sum / static_cast<double>(a.rgba.size());
  d.differing = static_cast<double>(differing) / static_cast<double>(a.rgba.size() / 4);
  return d;
}

Difference deferred_vs_forward(const RenderSpec& spec, const Scene* scene = nullptr) {
  TempDir dir;
  Png deferred = render(*pair().deferred, spec, scene, (dir.path / "deferred.png").string());
  Png forward = render(*pair().forward, spec, scene, (dir.path / "forward.png").string());
  return difference(deferred, forward);
}

RenderSpec sample(const std::string& model, int size) {
  RenderSpec s;
  s.scene = std::string(RENDERQ_SAMPLES_DIR) + "/" + model + "/glTF-Binary/" + model + ".glb";
  s.width = s.height = size;
  s.samples = 4;
  return s;
}

}  // namespace

TEST_CASE("deferred rendering draws the forward pass's image within a few steps", "[render][deferred]") {
  // 98 constant materials on 1 M triangles, transparent and on a background.
  RenderSpec s = sample("MetalRoughSpheresNoTextures", 256);
  {
    TempDir dir;  // the forward pass alone is repeatable: a difference below is the deferred path's
    Png a = render(*pair().forward, s, nullptr, (dir.path / "a.png").string());
    Png b = render(*pair().forward, s, nullptr, (dir.path / "b.png").string());
    CHECK(difference(a, b).max == 0);
  }
  for (bool background : {false, true}) {
    if (background) s.background = std::array<std::uint8_t, 3>{40, 90, 160};
    Difference d = deferred_vs_forward(s);
    INFO("background " << background << ": max " << d.max << " mean " << d.mean << " differing " << d.differing);
    CHECK(d.max > 0);  // it was drawn deferred
    CHECK(d.max <= 8);
    CHECK(d.mean <= 0.05);
    CHECK(d.differing <= 0.06);  // measured 1-3 %, by one or two steps
  }
}

TEST_CASE("deferred rendering turns back faces and keeps tone curves", "[render][deferred]") {
  // A double-sided open surface seen from behind: its normal is flipped in
  // the G-buffer as the forward pass flips it; and every tone curve.
  Material m = dielectric(glm::vec3(0.7f, 0.4f, 0.2f), 0.35f);
  m.double_sided = true;
  Scene scene = scene_of({sphere(1.0f, glm::vec3(0.0f), 96, 192), quad(1.6f, true)}, m);
  RenderSpec s;
  s.scene = "/in-memory.glb";
  s.width = s.height = 128;
  s.samples = 4;
  for (ToneMap t : {ToneMap::PbrNeutral, ToneMap::Aces, ToneMap::None}) {
    s.tonemap = t;
    Difference d = deferred_vs_forward(s, &scene);
    INFO("tone curve " << static_cast<int>(t) << ": max " << d.max << " mean " << d.mean);
    CHECK(d.max > 0);
    CHECK(d.max <= 8);
    CHECK(d.mean <= 0.05);
  }
}

TEST_CASE("scenes deferred rendering cannot draw are drawn forward", "[render][deferred]") {
  // Textures, blending, punctual lights: the deferred renderer draws forward.
  CHECK(deferred_vs_forward(sample("NormalTangentTest", 96)).max == 0);
  Material blend = dielectric(glm::vec3(0.8f, 0.3f, 0.2f), 0.4f);
  blend.alpha_mode = AlphaMode::Blend;
  blend.base_color.a = 0.5f;
  Scene scene = scene_of({sphere(1.0f)}, blend);
  RenderSpec s;
  s.scene = "/in-memory.glb";
  s.width = s.height = 64;
  s.samples = 4;
  CHECK(deferred_vs_forward(s, &scene).max == 0);
  Material plain = dielectric(glm::vec3(0.8f, 0.3f, 0.2f), 0.4f);
  Scene opaque = scene_of({sphere(1.0f)}, plain);
  CHECK(deferred_vs_forward(s, &opaque).max > 0);  // drawn deferred, until...
  Scene lit = opaque;
  lit.lights.push_back(Light{.name = "sun", .type = LightType::Directional, .color = glm::vec3(1.0f), .intensity = 2.0f});
  lit.light_instances.push_back(LightInstance{.light = 0, .world = glm::mat4(1.0f)});
  CHECK(deferred_vs_forward(s, &lit).max == 0);  // ...a punctual light shines on it
  s.samples = 1;  // or there is no MSAA
  CHECK(deferred_vs_forward(s, &opaque).max == 0);
}
