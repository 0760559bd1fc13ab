// Renderer tests that need no golden image: physics or geometry gives the
// expected pixels. They run on whatever EGL device the machine has (llvmpipe
// in CI) at 64..128 pixels so the suite stays fast.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <glm/gtc/matrix_transform.hpp>

#include "render/color.hpp"
#include "render/gl_draw.hpp"
#include "render/renderer.hpp"
#include "tests/render/image_util.hpp"
#include "tests/render/test_scenes.hpp"
#include "tests/render/test_renderer.hpp"

namespace fs = std::filesystem;
using namespace renderq;
using namespace renderq::test;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "renderq-gl-XXXXXX").string();
    path = mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};


RenderSpec spec_for(const fs::path& out, int size = 64) {
  RenderSpec s;
  s.scene = "/in-memory.glb";
  s.output = out.string();
  s.width = size;
  s.height = size;
  s.samples = 4;
  return s;
}

Png render_png(const Scene& scene, RenderSpec spec, Renderer::SceneOptions opts = {}) {
  auto r = shared_renderer().render_scene(scene, spec, opts);
  if (!r) FAIL(r.error().message());
  auto png = read_png(spec.output);
  if (!png) FAIL(png.error().message());
  return std::move(*png);
}

// A camera looking straight at the origin down -Z (yaw 0, pitch 0).
RenderSpec facing(const fs::path& out, int size = 64) {
  RenderSpec s = spec_for(out, size);
  s.orbit.yaw_deg = 0;
  s.orbit.pitch_deg = 0;
  return s;
}

}  // namespace

TEST_CASE("unlit material renders its exact colour", "[render]") {
  TempDir dir;
  // Authored as sRGB codes (as a colour picker gives them), stored linear.
  const std::uint8_t codes[3] = {51, 128, 204};
  glm::vec3 color(srgb_to_linear(codes[0] / 255.0f), srgb_to_linear(codes[1] / 255.0f),
                  srgb_to_linear(codes[2] / 255.0f));
  Scene scene = scene_of({quad(2.0f)}, unlit(glm::vec4(color, 1.0f)));
  RenderSpec s = facing(dir.path / "unlit.png");
  s.orbit.distance = 1.0;  // the quad fills the whole image
  Png png = render_png(scene, s);
  for (auto [x, y] : {std::pair{32, 32}, {5, 5}, {58, 60}}) {
    const std::uint8_t* p = png.at(x, y);
    CHECK(int(p[0]) == int(codes[0]));
    CHECK(int(p[1]) == int(codes[1]));
    CHECK(int(p[2]) == int(codes[2]));
    CHECK(int(p[3]) == 255);
  }
}

TEST_CASE("white furnace: a white sphere in a uniform environment is a flat disc", "[render]") {
  TempDir dir;
  for (float roughness : {1.0f, 0.5f, 0.1f}) {
    Scene scene = scene_of({sphere(1.0f)}, dielectric(glm::vec3(1.0f), roughness));
    RenderSpec s = facing(dir.path / "furnace.png", 96);
    s.tonemap = ToneMap::None;
    Png png = render_png(scene, s, {.uniform_environment = 0.5f});
    // Radiance 0.5 in, 0.5 out everywhere on the disc: sRGB 188.
    int expect = linear_to_srgb8(0.5f);
    int covered = 0, off = 0;
    for (int y = 0; y < png.height; ++y)
      for (int x = 0; x < png.width; ++x) {
        const std::uint8_t* p = png.at(x, y);
        if (p[3] == 0) continue;
        ++covered;
        for (int k = 0; k < 3; ++k)
          if (std::abs(int(p[k]) - expect) > 2) ++off;
      }
    INFO("roughness " << roughness);
    // Auto-framing fits the bounding box's sphere (radius sqrt 3): the disc
    // spans about 1/(1.05 sqrt 3) of the image, 19% of its area.
    CHECK(covered > png.width * png.height / 6);
    CHECK(off == 0);
  }
}

TEST_CASE("white furnace: a white metal keeps its energy at every roughness", "[render]") {
  // glTF's default material (white metal, roughness 1) in a uniform white
  // environment: single-scattering GGX alone returns only A + B of the light
  // (about 0.6 at roughness 1); the multiple-scattering term gives back the
  // rest. Radiance 0.5 keeps the expected value below the clamp at 1, so an
  // overshoot would show too.
  TempDir dir;
  for (float roughness : {1.0f, 0.6f, 0.3f}) {
    Material metal;  // base colour 1, metallic 1
    metal.roughness = roughness;
    Scene scene = scene_of({sphere(1.0f)}, metal);
    RenderSpec s = facing(dir.path / "metal.png", 96);
    s.tonemap = ToneMap::None;
    s.exposure = 0.0;
    Png png = render_png(scene, s, {.uniform_environment = 0.5f});
    int covered = 0, dark = 0, bright = 0;
    float lowest = 1.0f;
    for (int y = 0; y < png.height; ++y)
      for (int x = 0; x < png.width; ++x) {
        const std::uint8_t* p = png.at(x, y);
        if (p[3] != 255) continue;  // the disc's inside, not its antialiased rim
        ++covered;
        for (int k = 0; k < 3; ++k) {
          float ratio = srgb_to_linear(p[k] / 255.0f) / 0.5f;
          lowest = std::min(lowest, ratio);
          if (ratio < 0.9f) ++dark;
          if (ratio > 1.03f) ++bright;
        }
      }
    INFO("roughness " << roughness << " lowest " << lowest);
    CHECK(covered > png.width * png.height / 6);
    CHECK(dark == 0);
    CHECK(bright == 0);
  }
}

TEST_CASE("PBR Neutral subtracts exactly 0.04 from a shiny dielectric's colour", "[render]") {
  // A shiny dielectric facing the camera under a uniform white environment
  // of radiance 1: L = (1 - F) c + F with F ~ 0.04 at normal incidence.
  // PBR Neutral maps L to L - 0.04 while min(L) >= 0.08 and max(L) <= 0.8.
  TempDir dir;
  for (float c : {0.1f, 0.25f, 0.5f, 0.7f}) {
    Scene scene = scene_of({quad(2.0f)}, dielectric(glm::vec3(c, c * 0.8f, c * 0.6f + 0.04f), 0.0f));
    RenderSpec s = facing(dir.path / "neutral.png");
    s.orbit.distance = 1.0;
    s.tonemap = ToneMap::None;
    Png raw = render_png(scene, s, {.uniform_environment = 1.0f});
    s.tonemap = ToneMap::PbrNeutral;
    Png mapped = render_png(scene, s, {.uniform_environment = 1.0f});
    for (int k = 0; k < 3; ++k) {
      float lit = srgb_to_linear(raw.at(32, 32)[k] / 255.0f);
      float out = srgb_to_linear(mapped.at(32, 32)[k] / 255.0f);
      float base = k == 0 ? c : k == 1 ? c * 0.8f : c * 0.6f + 0.04f;
      INFO("c " << c << " channel " << k << " lit " << lit << " out " << out);
      // One sRGB8 step is at most 0.0055 in linear over this range.
      CHECK(std::abs(out - (lit - 0.04f)) < 0.008f);
      CHECK(std::abs(out - base * 0.96f) < 0.012f);  // the base colour, less its 4% Fresnel share
    }
  }
}

TEST_CASE("auto-framing keeps the silhouette inside the image and fills most of it", "[render]") {
  TempDir dir;
  for (glm::vec3 half : {glm::vec3(2.0f, 0.5f, 0.5f), glm::vec3(0.3f, 1.5f, 0.3f), glm::vec3(1.0f)}) {
    Scene scene = scene_of({box(half)}, unlit(glm::vec4(1.0f)));
    RenderSpec s = spec_for(dir.path / "frame.png", 96);
    s.width = 128;  // a wide image: the narrower (vertical) field of view limits
    Png png = render_png(scene, s);
    int x0 = png.width, x1 = -1, y0 = png.height, y1 = -1;
    for (int y = 0; y < png.height; ++y)
      for (int x = 0; x < png.width; ++x)
        if (png.at(x, y)[3] > 0) {
          x0 = std::min(x0, x);
          x1 = std::max(x1, x);
          y0 = std::min(y0, y);
          y1 = std::max(y1, y);
        }
    INFO("box half extents " << half.x << "," << half.y << "," << half.z << " bbox " << x0 << ".." << x1 << " x "
                             << y0 << ".." << y1);
    CHECK(x0 > 0);
    CHECK(y0 > 0);
    CHECK(x1 < png.width - 1);
    CHECK(y1 < png.height - 1);
    // Stated share: the silhouette spans at least 60% of the image along its
    // tighter axis (the bounding sphere fills 1/1.05 of it).
    double share = std::max(double(x1 - x0 + 1) / png.width, double(y1 - y0 + 1) / png.height);
    CHECK(share >= 0.6);
  }
}

TEST_CASE("alpha MASK cuts at the cutoff", "[render]") {
  TempDir dir;
  Primitive q = quad(2.0f);
  // Alpha runs 0 -> 1 from left to right; cutoff 0.5 keeps the right half.
  q.colors = {{1, 1, 1, 0}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 0}};
  Material m = unlit(glm::vec4(0.8f, 0.3f, 0.1f, 1.0f));
  m.alpha_mode = AlphaMode::Mask;
  m.alpha_cutoff = 0.5f;
  Scene scene = scene_of({q}, m);
  RenderSpec s = facing(dir.path / "mask.png");
  s.orbit.distance = 1.0;
  s.samples = 1;
  Png png = render_png(scene, s);
  for (int y : {8, 32, 56}) {
    CHECK(int(png.at(28, y)[3]) == 0);
    CHECK(int(png.at(36, y)[3]) == 255);
    CHECK(int(png.at(36, y)[0]) == int(linear_to_srgb8(0.8f)));
  }
  // The cut sits at the middle column.
  int first = -1;
  for (int x = 0; x < 64 && first < 0; ++x)
    if (png.at(x, 32)[3] > 0) first = x;
  CHECK(std::abs(first - 32) <= 1);
}

TEST_CASE("single-sided back faces are culled, double-sided ones are lit", "[render]") {
  TempDir dir;
  Material m = dielectric(glm::vec3(0.6f), 0.5f);
  RenderSpec s = facing(dir.path / "sides.png");
  s.orbit.distance = 1.0;
  Scene front = scene_of({quad(2.0f)}, m);
  Scene back = scene_of({quad(2.0f, /*facing_away=*/true)}, m);
  Png front_png = render_png(front, s);
  Png culled = render_png(back, s);
  CHECK(int(culled.at(32, 32)[3]) == 0);
  back.materials[0].double_sided = true;
  Png lit = render_png(back, s);
  CHECK(int(lit.at(32, 32)[3]) == 255);
  // Lit like the front face (its normal is flipped towards the viewer).
  for (int k = 0; k < 3; ++k) CHECK(std::abs(int(lit.at(32, 32)[k]) - int(front_png.at(32, 32)[k])) <= 1);
  CHECK(int(lit.at(32, 32)[0]) > 100);
}

TEST_CASE("a closed double-sided box draws as its single-sided self, and shows its inside from within", "[render]") {
  TempDir dir;
  Material m = dielectric(glm::vec3(0.6f), 0.5f);
  Scene one = scene_of({box(glm::vec3(0.5f))}, m);
  Scene two = scene_of({box(glm::vec3(0.5f))}, m);
  two.materials[0].double_sided = true;
  RenderSpec s = spec_for(dir.path / "box.png");
  Png single = render_png(one, s);
  Png both = render_png(two, s);
  CHECK(single.rgba == both.rgba);
  // From inside the walls are back faces: culled when single-sided, drawn
  // (and lit) when double-sided, closed or not.
  s = facing(dir.path / "inside.png");
  s.orbit.distance = 0.1;
  CHECK(int(render_png(one, s).at(32, 32)[3]) == 0);
  Png inside = render_png(two, s);
  CHECK(int(inside.at(32, 32)[3]) == 255);
  CHECK(int(inside.at(32, 32)[0]) > 50);
}

TEST_CASE("back faces of a double-sided primitive are culled only when no view can show them", "[render]") {
  GlPrimitive prim;
  prim.bounds_min = glm::vec3(-1.0f);
  prim.bounds_max = glm::vec3(1.0f);
  prim.closed = true;
  Material m;
  m.double_sided = true;
  const glm::mat4 proj = glm::perspective(0.8f, 1.0f, 0.1f, 100.0f);
  const glm::mat4 outside = proj * glm::lookAt(glm::vec3(0, 0, 5), glm::vec3(0), glm::vec3(0, 1, 0));
  const glm::mat4 inside = proj * glm::lookAt(glm::vec3(0, 0, 0.5f), glm::vec3(0), glm::vec3(0, 1, 0));
  // The near plane cuts the box although the eye is outside it.
  const glm::mat4 grazing = proj * glm::lookAt(glm::vec3(0, 0, 1.05f), glm::vec3(0), glm::vec3(0, 1, 0));
  CHECK(culls_back_faces(prim, m, outside));
  CHECK_FALSE(culls_back_faces(prim, m, inside));
  CHECK_FALSE(culls_back_faces(prim, m, grazing));
  const glm::mat4 ortho = glm::ortho(-2.0f, 2.0f, -2.0f, 2.0f, 0.1f, 100.0f);
  CHECK(culls_back_faces(prim, m, ortho * glm::lookAt(glm::vec3(0, 0, 5), glm::vec3(0), glm::vec3(0, 1, 0))));
  CHECK_FALSE(culls_back_faces(prim, m, ortho * glm::lookAt(glm::vec3(0, 0, 1), glm::vec3(0), glm::vec3(0, 1, 0))));
  m.alpha_mode = AlphaMode::Mask;  // holes would show the inside
  CHECK_FALSE(culls_back_faces(prim, m, outside));
  m.alpha_mode = AlphaMode::Blend;
  CHECK_FALSE(culls_back_faces(prim, m, outside));
  m.alpha_mode = AlphaMode::Opaque;
  prim.closed = false;
  CHECK_FALSE(culls_back_faces(prim, m, outside));
  m.double_sided = false;
  CHECK(culls_back_faces(prim, m, inside));
}

TEST_CASE("a constant material's CPU-computed F0 and diffuse colour match the shader's", "[render]") {
  // Without vertex colours the shader takes diffuse colour, F0 and F90 from
  // the CPU (const_material in gl_draw.cpp); white vertex colours make it
  // compute them per fragment. Both must draw the same sphere.
  TempDir dir;
  Material gold = dielectric(glm::vec3(1.0f, 0.77f, 0.34f), 0.3f);
  gold.metallic = 1.0f;
  Material half_metal = dielectric(glm::vec3(0.2f, 0.5f, 0.9f), 0.6f);
  half_metal.metallic = 0.5f;
  Material tinted = dielectric(glm::vec3(0.7f, 0.1f, 0.1f), 0.2f);
  tinted.ior = 1.8f;
  tinted.specular = 0.5f;
  tinted.specular_color = glm::vec3(0.2f, 1.0f, 0.4f);
  for (const Material& m : {gold, half_metal, tinted}) {
    Primitive plain = sphere(1.0f);
    Primitive coloured = plain;
    coloured.colors.assign(coloured.positions.size(), glm::vec4(1.0f));
    RenderSpec s = spec_for(dir.path / "const.png");
    Png a = render_png(scene_of({plain}, m), s);
    Png b = render_png(scene_of({coloured}, m), s);
    int worst = 0;
    for (std::size_t i = 0; i < a.rgba.size(); ++i) worst = std::max(worst, std::abs(a.rgba[i] - b.rgba[i]));
    INFO("metallic " << m.metallic << " ior " << m.ior);
    CHECK(worst <= 1);
  }
}

TEST_CASE("background colour and straight alpha at edges", "[render]") {
  TempDir dir;
  Scene scene = scene_of({sphere(1.0f)}, unlit(glm::vec4(1.0f)));
  RenderSpec s = facing(dir.path / "bg.png");
  s.background = std::array<std::uint8_t, 3>{0x33, 0x66, 0x99};
  Png png = render_png(scene, s);
  CHECK(int(png.at(0, 0)[0]) == 0x33);
  CHECK(int(png.at(0, 0)[1]) == 0x66);
  CHECK(int(png.at(0, 0)[2]) == 0x99);
  CHECK(int(png.at(0, 0)[3]) == 255);
  s.background.reset();
  png = render_png(scene, s);
  int partial = 0;
  for (int y = 0; y < png.height; ++y)
    for (int x = 0; x < png.width; ++x) {
      const std::uint8_t* p = png.at(x, y);
      if (p[3] == 0 || p[3] == 255) continue;
      ++partial;
      // Straight alpha: a white object's edge is white, only less opaque.
      CHECK(int(p[0]) >= 250);
    }
  CHECK(partial > 0);
}

TEST_CASE("samples above the device's maximum are a named error", "[render]") {
  TempDir dir;
  Scene scene = scene_of({quad(1.0f)}, unlit(glm::vec4(1.0f)));
  RenderSpec s = spec_for(dir.path / "x.png");
  s.samples = shared_renderer().device().max_samples + 1;
  auto r = shared_renderer().render_scene(scene, s, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::SamplesOutOfRange);
  CHECK_FALSE(fs::exists(s.output));
}

TEST_CASE("oversized images are refused before allocating", "[render]") {
  TempDir dir;
  Scene scene = scene_of({quad(1.0f)}, unlit(glm::vec4(1.0f)));
  RenderSpec s = spec_for(dir.path / "x.png");
  s.width = s.height = 20000;
  auto r = shared_renderer().render_scene(scene, s, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::SizeOutOfRange);
  // Within the device's limits but past the memory budget: 16384^2 at 4x.
  s.width = s.height = std::min(16384, shared_renderer().device().max_texture_size);
  s.samples = std::min(4, shared_renderer().device().max_samples);
  r = shared_renderer().render_scene(scene, s, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::OutOfMemoryBudget);
  CHECK_FALSE(fs::exists(s.output));
}

TEST_CASE("output is replaced atomically and no temporary file is left", "[render]") {
  TempDir dir;
  fs::path out = dir.path / "atomic.png";
  { std::ofstream(out) << "old image"; }
  std::ifstream old_reader(out);  // a reader that opened the old file keeps it whole
  Scene scene = scene_of({sphere(1.0f)}, unlit(glm::vec4(1.0f)));
  RenderSpec s = spec_for(out);
  auto r = shared_renderer().render_scene(scene, s, {});
  REQUIRE(r);
  std::string old_text;
  std::getline(old_reader, old_text);
  CHECK(old_text == "old image");
  CHECK(read_png(out.string()));
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    ++files;
    CHECK(e.path() == out);
  }
  CHECK(files == 1);
  // A folder that cannot be written: a named error, nothing left behind.
  if (::geteuid() != 0) {
    fs::path ro = dir.path / "ro";
    fs::create_directory(ro);
    ::chmod(ro.c_str(), 0555);
    s.output = (ro / "x.png").string();
    auto bad = shared_renderer().render_scene(scene, s, {});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::OutputNotWritable);
    CHECK(fs::is_empty(ro));
  }
}

TEST_CASE("turntable frames go to numbered files and report progress", "[render]") {
  TempDir dir;
  Scene scene = scene_of({box(glm::vec3(1.0f, 0.5f, 0.25f))}, dielectric(glm::vec3(0.5f), 0.5f));
  RenderSpec s = spec_for(dir.path / "turn.png", 32);
  s.frames = 4;
  s.turntable = true;
  std::vector<int> seen;
  auto r = shared_renderer().render_scene(scene, s, {}, [&](int done, int total) {
    CHECK(total == 4);
    seen.push_back(done);
  });
  REQUIRE(r);
  CHECK(seen == std::vector<int>{1, 2, 3, 4});
  REQUIRE(r->outputs.size() == 4);
  for (int i = 0; i < 4; ++i) CHECK(fs::exists(dir.path / ("turn_000" + std::to_string(i) + ".png")));
  // Frames 0 and 2 look from opposite sides: different images.
  auto a = read_png((dir.path / "turn_0000.png").string());
  auto b = read_png((dir.path / "turn_0001.png").string());
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->rgba != b->rgba);
}

TEST_CASE("device info names the renderer and its limits", "[render]") {
  const DeviceInfo& d = shared_renderer().device();
  CHECK_FALSE(d.renderer.empty());
  CHECK(d.gl_version.find("4.") != std::string::npos);
  CHECK(d.max_samples >= 1);
  CHECK(d.max_texture_size >= 1024);
  auto all = enumerate_devices();
  REQUIRE(all);
  CHECK_FALSE(all->empty());
}

TEST_CASE("KHR_materials_ior and specular set a dielectric's reflectance", "[render]") {
  // A black, mirror-smooth dielectric facing the camera in a uniform white
  // environment reflects only its Fresnel F0 = ((ior - 1)/(ior + 1))^2, times
  // specularColorFactor, times specularFactor.
  TempDir dir;
  struct Case { float ior, weight; glm::vec3 tint; glm::vec3 expect; };
  const float f2 = 1.0f / 9.0f;  // ior 2
  for (const Case& c : {Case{1.5f, 1.0f, glm::vec3(1.0f), glm::vec3(0.04f)},
                        Case{2.0f, 1.0f, glm::vec3(1.0f), glm::vec3(f2)},
                        Case{2.0f, 1.0f, glm::vec3(1.0f, 0.5f, 0.25f), glm::vec3(f2, f2 * 0.5f, f2 * 0.25f)},
                        Case{2.0f, 0.5f, glm::vec3(1.0f), glm::vec3(f2 * 0.5f)},
                        Case{1.5f, 0.0f, glm::vec3(1.0f), glm::vec3(0.0f)}}) {
    Material m = dielectric(glm::vec3(0.0f), 0.0f);
    m.ior = c.ior;
    m.specular = c.weight;
    m.specular_color = c.tint;
    Scene scene = scene_of({quad(2.0f)}, m);
    RenderSpec s = facing(dir.path / "ior.png");
    s.orbit.distance = 1.0;
    s.tonemap = ToneMap::None;
    Png png = render_png(scene, s, {.uniform_environment = 1.0f});
    for (int k = 0; k < 3; ++k) {
      float got = srgb_to_linear(png.at(32, 32)[k] / 255.0f);
      INFO("ior " << c.ior << " weight " << c.weight << " channel " << k << " got " << got);
      CHECK(std::abs(got - c.expect[k]) < 0.006f);
    }
  }
}

TEST_CASE("KHR_materials_clearcoat adds a 4% mirror layer over the base", "[render]") {
  // The base reflects nothing (black, specular weight 0); a smooth coat of
  // factor c adds c * 0.04 at normal incidence in a uniform white environment.
  TempDir dir;
  for (float coat : {0.0f, 0.5f, 1.0f}) {
    Material m = dielectric(glm::vec3(0.0f), 1.0f);
    m.specular = 0.0f;
    m.clearcoat = coat;
    m.clearcoat_roughness = 0.0f;
    Scene scene = scene_of({quad(2.0f)}, m);
    RenderSpec s = facing(dir.path / "coat.png");
    s.orbit.distance = 1.0;
    s.tonemap = ToneMap::None;
    Png png = render_png(scene, s, {.uniform_environment = 1.0f});
    float got = srgb_to_linear(png.at(32, 32)[1] / 255.0f);
    INFO("clearcoat " << coat << " got " << got);
    CHECK(std::abs(got - 0.04f * coat) < 0.004f);
  }
  // Over a white diffuse base the coat takes from the base what it reflects:
  // the furnace still returns the environment.
  Material white = dielectric(glm::vec3(1.0f), 0.5f);
  white.clearcoat = 1.0f;
  Scene scene = scene_of({sphere(1.0f)}, white);
  RenderSpec s = facing(dir.path / "coat-furnace.png", 96);
  s.tonemap = ToneMap::None;
  Png png = render_png(scene, s, {.uniform_environment = 0.5f});
  // The inner part of the disc (radius about 26 px): there the coat's
  // Fresnel at N.V and its split-sum reflectance agree closely.
  int expect = linear_to_srgb8(0.5f), off = 0, seen = 0;
  for (int y = 0; y < png.height; ++y)
    for (int x = 0; x < png.width; ++x) {
      if ((x - 48) * (x - 48) + (y - 48) * (y - 48) > 18 * 18) continue;
      ++seen;
      if (png.at(x, y)[3] != 255 || std::abs(int(png.at(x, y)[1]) - expect) > 2) ++off;
    }
  CHECK(seen > 900);
  CHECK(off == 0);
}

TEST_CASE("KHR_materials_pbrSpecularGlossiness reflects its specular colour as F0", "[render]") {
  // Black diffuse, glossiness 1 (a mirror): facing the camera in a uniform
  // environment the surface returns F0 times the environment.
  TempDir dir;
  Material m = dielectric(glm::vec3(0.0f), 0.0f);
  m.specular_glossiness = true;
  m.sg_specular = glm::vec3(1.0f, 0.5f, 0.25f);
  m.sg_glossiness = 1.0f;
  Scene scene = scene_of({quad(2.0f)}, m);
  RenderSpec s = facing(dir.path / "sg.png");
  s.orbit.distance = 1.0;
  s.tonemap = ToneMap::None;
  Png png = render_png(scene, s, {.uniform_environment = 0.5f});
  for (int k = 0; k < 3; ++k) {
    float got = srgb_to_linear(png.at(32, 32)[k] / 255.0f);
    INFO("channel " << k << " got " << got);
    CHECK(std::abs(got - 0.5f * m.sg_specular[k]) < 0.01f);
  }
  // Diffuse is what the largest F0 component leaves: with F0 0 and a rough
  // surface, a white diffuse is lit like the metal-rough white dielectric.
  Material white = m;
  white.base_color = glm::vec4(1.0f);
  white.sg_specular = glm::vec3(0.04f);
  white.sg_glossiness = 0.5f;
  Png sg = render_png(scene_of({quad(2.0f)}, white), s, {.uniform_environment = 0.5f});
  Png mr = render_png(scene_of({quad(2.0f)}, dielectric(glm::vec3(0.96f), 0.5f)), s, {.uniform_environment = 0.5f});
  for (int k = 0; k < 3; ++k) CHECK(std::abs(int(sg.at(32, 32)[k]) - int(mr.at(32, 32)[k])) <= 2);
}

TEST_CASE("KHR_materials_sheen: a sheen layer keeps the furnace flat and lights a black cloth's rim", "[render]") {
  TempDir dir;
  // A white diffuse base under white sheen: the sheen takes from the base
  // what it reflects, so a uniform environment still gives a flat disc.
  Material white = dielectric(glm::vec3(1.0f), 1.0f);
  white.sheen_color = glm::vec3(1.0f);
  white.sheen_roughness = 0.5f;
  RenderSpec s = facing(dir.path / "sheen.png", 96);
  s.tonemap = ToneMap::None;
  Png flat = render_png(scene_of({sphere(1.0f)}, white), s, {.uniform_environment = 0.5f});
  int expect = linear_to_srgb8(0.5f), off = 0;
  for (int y = 0; y < flat.height; ++y)
    for (int x = 0; x < flat.width; ++x)
      if (flat.at(x, y)[3] == 255 && std::abs(int(flat.at(x, y)[1]) - expect) > 2) ++off;
  CHECK(off == 0);
  // A black base with no specular reflects only the sheen, which grows
  // towards grazing angles: the rim is brighter than the centre, and without
  // sheen the sphere is black.
  Material black = dielectric(glm::vec3(0.0f), 1.0f);
  black.specular = 0.0f;
  Png none = render_png(scene_of({sphere(1.0f)}, black), s, {.uniform_environment = 0.5f});
  CHECK(int(none.at(48, 48)[1]) == 0);
  black.sheen_color = glm::vec3(1.0f);
  black.sheen_roughness = 0.5f;
  Png cloth = render_png(scene_of({sphere(1.0f)}, black), s, {.uniform_environment = 0.5f});
  int centre = cloth.at(48, 48)[1];
  int rim = 0;  // the brightest opaque pixel along the middle row
  for (int x = 0; x < 48; ++x)
    if (cloth.at(x, 48)[3] == 255) rim = std::max(rim, int(cloth.at(x, 48)[1]));
  INFO("centre " << centre << " rim " << rim);
  CHECK(centre > 0);
  CHECK(rim > centre + 20);
}

namespace {

// A glass quad (material 0) in front of a larger unlit quad one unit behind
// it (material 1), seen head-on so the glass fills the image.
Scene glass_over(const Material& glass, glm::vec3 behind) {
  Scene scene = scene_of({quad(2.0f), quad(6.0f)}, glass);
  scene.materials.push_back(unlit(glm::vec4(behind, 1.0f)));
  scene.meshes[1].primitives[0].material = 1;
  scene.mesh_instances[1].world = glm::translate(glm::mat4(1.0f), glm::vec3(0, 0, -1));
  scene.bounds_min = glm::vec3(-3, -3, -1);
  scene.bounds_max = glm::vec3(3, 3, 0);
  return scene;
}

}  // namespace

TEST_CASE("KHR_materials_transmission shows what lies behind, tinted by the base colour", "[render]") {
  // Black environment: the only light is the unlit red quad behind the glass.
  TempDir dir;
  Material glass = dielectric(glm::vec3(1.0f, 1.0f, 0.5f), 0.0f);
  RenderSpec s = facing(dir.path / "glass.png");
  s.orbit.distance = 1.5;
  s.orbit.target = std::array<double, 3>{0, 0, 0};
  s.tonemap = ToneMap::None;
  Png opaque = render_png(glass_over(glass, glm::vec3(1.0f, 0.0f, 0.0f)), s, {.uniform_environment = 0.0f});
  CHECK(int(opaque.at(32, 32)[0]) == 0);  // an opaque white surface in the dark
  glass.transmission = 1.0f;
  Png clear = render_png(glass_over(glass, glm::vec3(1.0f, 0.0f, 0.0f)), s, {.uniform_environment = 0.0f});
  // Red through the glass, less the 4% its surface reflects.
  float r = srgb_to_linear(clear.at(32, 32)[0] / 255.0f);
  INFO("red through glass " << r);
  CHECK(std::abs(r - 0.96f) < 0.03f);
  CHECK(int(clear.at(32, 32)[1]) == 0);
  // Through a blue-less tint, a white background loses its blue.
  Png tinted = render_png(glass_over(glass, glm::vec3(1.0f)), s, {.uniform_environment = 0.0f});
  float red = srgb_to_linear(tinted.at(32, 32)[0] / 255.0f), blue = srgb_to_linear(tinted.at(32, 32)[2] / 255.0f);
  CHECK(std::abs(blue / red - 0.5f) < 0.03f);
}

TEST_CASE("KHR_materials_volume absorbs along the path by attenuationColor", "[render]") {
  // Thickness 1 seen head-on: a path of 1 unit, one attenuation distance,
  // leaves attenuationColor of the light behind.
  TempDir dir;
  Material glass = dielectric(glm::vec3(1.0f), 0.0f);
  glass.transmission = 1.0f;
  glass.thickness = 1.0f;
  glass.attenuation_distance = 1.0f;
  glass.attenuation_color = glm::vec3(0.5f, 1.0f, 0.25f);
  RenderSpec s = facing(dir.path / "volume.png");
  s.orbit.distance = 1.5;
  s.orbit.target = std::array<double, 3>{0, 0, 0};
  s.tonemap = ToneMap::None;
  Png png = render_png(glass_over(glass, glm::vec3(1.0f)), s, {.uniform_environment = 0.0f});
  float r = srgb_to_linear(png.at(32, 32)[0] / 255.0f);
  float g = srgb_to_linear(png.at(32, 32)[1] / 255.0f);
  float b = srgb_to_linear(png.at(32, 32)[2] / 255.0f);
  INFO("rgb " << r << " " << g << " " << b);
  CHECK(std::abs(r / g - 0.5f) < 0.03f);
  CHECK(std::abs(b / g - 0.25f) < 0.03f);
  CHECK(std::abs(g - 0.96f) < 0.03f);
}

TEST_CASE("KHR_materials_anisotropy keeps a white metal's energy and turns with its rotation", "[render]") {
  TempDir dir;
  Material metal;  // white metal
  metal.roughness = 0.4f;
  metal.anisotropy = 1.0f;
  RenderSpec s = facing(dir.path / "aniso.png", 96);
  s.tonemap = ToneMap::None;
  // In a uniform environment the bent normal changes only where light comes
  // from, not how much: still a flat furnace disc.
  Png flat = render_png(scene_of({sphere(1.0f)}, metal), s, {.uniform_environment = 0.5f});
  int expect = linear_to_srgb8(0.5f), off = 0;
  for (int y = 0; y < flat.height; ++y)
    for (int x = 0; x < flat.width; ++x)
      if (flat.at(x, y)[3] == 255 && std::abs(int(flat.at(x, y)[1]) - expect) > 4) ++off;
  CHECK(off == 0);
  // Under the studio environment the anisotropic image differs from the
  // isotropic one, and turning the direction by 90 degrees changes it again.
  s.tonemap = ToneMap::PbrNeutral;
  auto differing = [](const Png& a, const Png& b) {
    int n = 0;
    for (std::size_t i = 0; i < a.rgba.size(); ++i)
      if (std::abs(int(a.rgba[i]) - int(b.rgba[i])) > 8) ++n;
    return n;
  };
  Png along = render_png(scene_of({sphere(1.0f)}, metal), s);
  Material iso = metal;
  iso.anisotropy = 0.0f;
  Png plain = render_png(scene_of({sphere(1.0f)}, iso), s);
  Material turned = metal;
  turned.anisotropy_rotation = 1.5707963f;
  Png across = render_png(scene_of({sphere(1.0f)}, turned), s);
  CHECK(differing(along, plain) > 200);
  CHECK(differing(along, across) > 200);
}

TEST_CASE("KHR_materials_iridescence: a thin film colours a grey mirror by its thickness", "[render]") {
  // A black, mirror-smooth dielectric reflects grey F0 = 0.04 without the
  // film; a 1.3-index film of a few hundred nanometres makes the reflection
  // interfere differently per wavelength, so the channels part, and a
  // different thickness gives a different colour.
  TempDir dir;
  RenderSpec s = facing(dir.path / "film.png");
  s.orbit.distance = 1.0;
  s.tonemap = ToneMap::None;
  auto centre = [&](const Material& m) {
    Png png = render_png(scene_of({quad(2.0f)}, m), s, {.uniform_environment = 1.0f});
    return glm::vec3(srgb_to_linear(png.at(32, 32)[0] / 255.0f), srgb_to_linear(png.at(32, 32)[1] / 255.0f),
                     srgb_to_linear(png.at(32, 32)[2] / 255.0f));
  };
  Material mirror = dielectric(glm::vec3(0.0f), 0.0f);
  glm::vec3 plain = centre(mirror);
  CHECK(std::abs(plain.r - plain.b) < 0.004f);
  mirror.iridescence = 1.0f;
  mirror.iridescence_thickness_max = 300.0f;
  glm::vec3 thin = centre(mirror);
  mirror.iridescence_thickness_max = 500.0f;
  glm::vec3 thick = centre(mirror);
  INFO("plain " << plain.r << " thin " << thin.r << "," << thin.g << "," << thin.b << " thick " << thick.r << ","
                << thick.g << "," << thick.b);
  auto spread = [](glm::vec3 c) { return std::max({c.r, c.g, c.b}) - std::min({c.r, c.g, c.b}); };
  // (llvmpipe: grey 0.040; 300 nm 0.025/0.005/0.021; 500 nm 0.047/0.007/0.032.)
  CHECK(spread(thin) > 0.01f);
  CHECK(spread(thick) > 0.01f);
  CHECK(glm::length(thin - thick) > 0.01f);
  // Nothing exceeds what a surface can reflect.
  CHECK(std::max({thin.r, thin.g, thin.b, thick.r, thick.g, thick.b}) <= 1.0f);
}
