// Renderer tests on the Khronos sample models (tests/data/samples): the
// TextureCoordinateTest quadrants, and golden images compared with
// model-viewer's render-fidelity metric.
//
// Goldens live in tests/data/golden/<model>.png, rendered on llvmpipe at
// 128x128 with the default camera, environment and tone mapping. A render
// passes when its RMS YIQ difference from the golden is at most -30 dB
// (model-viewer fails its own regressions above -22 dB; llvmpipe is
// bit-identical on one machine and moves a few levels across CPU vendors).
// On failure the render and a diff image go to <build>/tests/render/golden-out/.
// RENDERQ_UPDATE_GOLDENS=1 rewrites the goldens instead (look at each one
// before committing it).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "render/renderer.hpp"
#include "tests/render/image_util.hpp"

namespace fs = std::filesystem;
using namespace renderq;
using namespace renderq::test;

namespace {

constexpr double kGoldenThresholdDb = -30.0;
constexpr int kGoldenSize = 128;

struct Fixture {
  fs::path tmp;
  std::unique_ptr<Renderer> renderer;
  Fixture() {
    std::string t = (fs::temp_directory_path() / "renderq-samples-XXXXXX").string();
    tmp = mkdtemp(t.data());
    ::setenv("RENDERQ_CACHE_DIR", (tmp / "cache").c_str(), 1);
    auto made = Renderer::create(DeviceSelector{});
    if (made) renderer = std::move(*made);
  }
  ~Fixture() {
    renderer.reset();
    std::error_code ec;
    fs::remove_all(tmp, ec);
  }
};

Fixture& fixture() {
  static Fixture f;
  if (!f.renderer) FAIL("no renderer");
  return f;
}

std::string sample(const std::string& model) {
  fs::path dir = fs::path(RENDERQ_SAMPLES_DIR) / model;
  for (const char* variant : {"glTF-Binary", "glTF"})
    for (const char* ext : {".glb", ".gltf"}) {
      fs::path p = dir / variant / (model + ext);
      if (fs::exists(p)) return p.string();
    }
  return {};
}

Png render(const std::string& model, RenderSpec spec) {
  spec.scene = sample(model);
  REQUIRE_FALSE(spec.scene.empty());
  spec.output = (fixture().tmp / (model + ".png")).string();
  auto r = fixture().renderer->render(spec);
  if (!r) FAIL(model << ": " << r.error().message());
  auto png = read_png(spec.output);
  REQUIRE(png);
  return std::move(*png);
}

}  // namespace

TEST_CASE("TextureCoordinateTest shows the right colours in the right quadrants", "[render][samples]") {
  RenderSpec s;
  s.width = s.height = 128;
  s.orbit.yaw_deg = 0;
  s.orbit.pitch_deg = 0;
  Png png = render("TextureCoordinateTest", s);
  struct Expect {
    const char* name;
    int x, y;
    bool r, g, b;  // which channels are bright
  };
  // The labels name the squares; points sit on plain colour, clear of text.
  for (Expect e : {Expect{"top left (yellow)", 28, 40, true, true, false},
                   Expect{"top right (orange)", 100, 40, true, false, false},
                   Expect{"bottom left (blue)", 28, 100, false, false, true},
                   Expect{"bottom right (green)", 100, 100, false, true, false}}) {
    const std::uint8_t* p = png.at(e.x, e.y);
    INFO(e.name << ": " << int(p[0]) << "," << int(p[1]) << "," << int(p[2]) << "," << int(p[3]));
    CHECK(int(p[3]) == 255);
    // A channel counts as lit above half the brightest one.
    int top = std::max({int(p[0]), int(p[1]), int(p[2])});
    CHECK(top > 100);
    CHECK((p[0] * 2 > top) == e.r);
    CHECK((p[1] * 2 > top) == e.g);
    CHECK((p[2] * 2 > top) == e.b);
  }
}

TEST_CASE("sample models match their golden images", "[render][samples][golden]") {
  const bool update = std::getenv("RENDERQ_UPDATE_GOLDENS") != nullptr;
  fs::path golden_dir = fs::path(RENDERQ_SOURCE_DIR) / "tests/data/golden";
  fs::path out_dir = fs::current_path() / "golden-out";
  for (const char* model :
       {"Box", "BoxVertexColors", "Cameras", "EmissiveStrengthTest", "MeshPrimitiveModes", "MultiUVTest",
        "NegativeScaleTest", "NormalTangentTest", "OrientationTest", "TextureCoordinateTest", "TextureEncodingTest",
        "TextureLinearInterpolationTest", "TextureSettingsTest", "TextureTransformTest", "UnlitTest",
        "VertexColorTest"}) {
    SECTION(model) {
      RenderSpec s;
      s.width = s.height = kGoldenSize;
      Png png = render(model, s);
      fs::path golden = golden_dir / (std::string(model) + ".png");
      if (update) {
        fs::create_directories(golden_dir);
        fs::copy_file(fixture().tmp / (std::string(model) + ".png"), golden, fs::copy_options::overwrite_existing);
        WARN("updated " << golden);
        continue;
      }
      auto want = read_png(golden.string());
      REQUIRE(want);
      fs::create_directories(out_dir);
      std::string diff = (out_dir / (std::string(model) + ".diff.png")).string();
      double db = yiq_rms_db(png, *want, diff);
      INFO(model << ": " << db << " dB (threshold " << kGoldenThresholdDb << "); render and diff in " << out_dir);
      if (db > kGoldenThresholdDb) {
        fs::copy_file(fixture().tmp / (std::string(model) + ".png"), out_dir / (std::string(model) + ".png"),
                      fs::copy_options::overwrite_existing);
      } else {
        fs::remove(diff);
      }
      CHECK(db <= kGoldenThresholdDb);
    }
  }
}

// The preview shows render_image(); the daemon writes render()'s PNG. They
// must be the same pixels, and the resolved orbit must be the same view.
TEST_CASE("render_image gives the pixels render() writes", "[render][preview]") {
  RenderSpec spec;
  spec.width = 96;  // not square: catches a row flip or a wrong aspect
  spec.height = 64;
  spec.scene = sample("BoxVertexColors");
  REQUIRE_FALSE(spec.scene.empty());
  spec.output = (fixture().tmp / "image.png").string();
  auto written = fixture().renderer->render(spec);
  REQUIRE(written);
  auto png = read_png(spec.output);
  REQUIRE(png);
  auto image = fixture().renderer->render_image(spec);
  REQUIRE(image);
  CHECK(image->width == 96);
  CHECK(image->height == 64);
  CHECK(image->rgba == png->rgba);  // transparent background: straight alpha too
}

TEST_CASE("a resolved orbit renders the same view as auto-framing", "[render][preview]") {
  RenderSpec spec;
  spec.width = 80;
  spec.height = 48;
  spec.scene = sample("Box");
  REQUIRE_FALSE(spec.scene.empty());
  auto orbit = fixture().renderer->resolved_orbit(spec);
  REQUIRE(orbit);
  REQUIRE(orbit->yaw_deg);
  REQUIRE(orbit->pitch_deg);
  REQUIRE(orbit->distance);
  REQUIRE(orbit->fov_deg);
  REQUIRE(orbit->target);
  auto automatic = fixture().renderer->render_image(spec);
  RenderSpec pinned = spec;
  pinned.orbit = *orbit;
  auto explicit_view = fixture().renderer->render_image(pinned);
  REQUIRE(automatic);
  REQUIRE(explicit_view);
  CHECK(automatic->rgba == explicit_view->rgba);
  pinned.orbit.yaw_deg = *orbit->yaw_deg + 40.0;
  auto turned = fixture().renderer->render_image(pinned);
  REQUIRE(turned);
  CHECK(turned->rgba != automatic->rgba);
}

TEST_CASE("render_image reports a missing scene by name", "[render][preview]") {
  RenderSpec spec;
  spec.width = spec.height = 32;
  spec.scene = (fixture().tmp / "no-such.glb").string();
  auto image = fixture().renderer->render_image(spec);
  REQUIRE_FALSE(image);
  CHECK(image.error().code == Errc::SceneMissing);
}

namespace {

Png render_file(const std::string& rel, RenderSpec spec, const std::string& out_name) {
  spec.scene = (fs::path(RENDERQ_SAMPLES_DIR) / rel).string();
  spec.output = (fixture().tmp / out_name).string();
  auto r = fixture().renderer->render(spec);
  if (!r) FAIL(rel << ": " << r.error().message());
  auto png = read_png(spec.output);
  REQUIRE(png);
  return std::move(*png);
}

}  // namespace

// Draco's quantization moves vertices by a fraction of a thousandth of the
// model's size: the renders differ at a few edge pixels at most.
TEST_CASE("a Draco file renders pixel-close to its uncompressed twin", "[render][samples][draco]") {
  RenderSpec s;
  s.width = s.height = kGoldenSize;
  for (auto [draco, plain] : {std::pair{"Box/glTF-Draco/Box.gltf", "Box/glTF/Box.gltf"},
                              std::pair{"MorphPrimitivesTest/glTF-Draco/MorphPrimitivesTest.gltf",
                                        "MorphPrimitivesTest/glTF-Binary/MorphPrimitivesTest.glb"},
                              std::pair{"RiggedSimple/glTF-Draco/RiggedSimple.gltf",
                                        "RiggedSimple/glTF-Binary/RiggedSimple.glb"}}) {
    Png a = render_file(draco, s, "draco.png");
    Png b = render_file(plain, s, "plain.png");
    double db = yiq_rms_db(a, b);
    INFO(draco << ": " << db << " dB");
    CHECK(db <= -30.0);
  }
}

TEST_CASE("animated frames re-pose the scene, and the renderer returns to the rest pose", "[render][samples]") {
  RenderSpec s;
  s.width = s.height = 64;
  // A pinned camera: auto-framing follows each render's first pose.
  s.orbit = OrbitCamera{.yaw_deg = 0.0, .pitch_deg = 0.0, .distance = 6.0, .fov_deg = 45.0,
                        .target = std::array<double, 3>{0, 1, 0}};
  Png rest = render_file("SimpleSkin/glTF/SimpleSkin.gltf", s, "rest.png");
  RenderSpec anim = s;
  anim.frames = 4;  // t = 0, 1.375, 2.75, 4.125 of the 5.5 s clip
  anim.animate = true;
  anim.output = (fixture().tmp / "anim_%d.png").string();
  anim.scene = (fs::path(RENDERQ_SAMPLES_DIR) / "SimpleSkin/glTF/SimpleSkin.gltf").string();
  auto r = fixture().renderer->render(anim);
  REQUIRE(r);
  REQUIRE(r->outputs.size() == 4);
  auto f0 = read_png((fixture().tmp / "anim_0.png").string());
  auto f1 = read_png((fixture().tmp / "anim_1.png").string());
  REQUIRE(f0);
  REQUIRE(f1);
  CHECK(f0->rgba == rest.rgba);  // the clip starts at the bind pose
  CHECK(f1->rgba != f0->rgba);   // the joint has turned
  // A still render after the animated one is the rest pose again (same cached scene).
  Png again = render_file("SimpleSkin/glTF/SimpleSkin.gltf", s, "again.png");
  CHECK(again.rgba == rest.rgba);
  // --time at 1.375 s is frame 1.
  RenderSpec at = s;
  at.time = 1.375;
  Png posed = render_file("SimpleSkin/glTF/SimpleSkin.gltf", at, "posed.png");
  CHECK(posed.rgba == f1->rgba);
}

TEST_CASE("asking a file without animations for one is gltf_animation_not_found", "[render][samples]") {
  RenderSpec s;
  s.width = s.height = 32;
  s.animation = "0";
  s.scene = (fs::path(RENDERQ_SAMPLES_DIR) / "Box/glTF/Box.gltf").string();
  s.output = (fixture().tmp / "none.png").string();
  auto r = fixture().renderer->render(s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::GltfAnimationNotFound);
}
