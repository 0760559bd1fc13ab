// Every PBR shader variant (render/pbr_programs) draws what the generic
// program draws: the same scenes through two renderers, one of them made with
// RENDERQ_PBR_VARIANTS=0, compared pixel by pixel. Covers texture slots, both
// UV sets, MASK, BLEND, unlit, vertex colours, emissive, every tone curve and
// the material extensions (transmission with its opaque pre-pass included).
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "render/renderer.hpp"
#include "tests/render/image_util.hpp"
#include "tests/render/test_scenes.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace renderq;
using namespace renderq::test;

namespace {

// Both draw forward: the deferred path (render/gl_deferred.hpp, compared
// with the forward pass in gl_deferred_test) is a variant of its own.
std::unique_ptr<Renderer> make(bool variants) {
  if (variants) ::unsetenv("RENDERQ_PBR_VARIANTS");
  else ::setenv("RENDERQ_PBR_VARIANTS", "0", 1);
  ::setenv("RENDERQ_DEFERRED", "0", 1);
  auto r = Renderer::create(DeviceSelector{});
  ::unsetenv("RENDERQ_PBR_VARIANTS");
  ::unsetenv("RENDERQ_DEFERRED");
  if (!r) FAIL("no renderer: " << r.error().message());
  return std::move(*r);
}

struct Pair {
  TempDir cache;
  std::unique_ptr<Renderer> variants, generic;
  Pair() {
    ::setenv("RENDERQ_CACHE_DIR", cache.path.c_str(), 1);
    variants = make(true);
    generic = make(false);
  }
};

Pair& pair() {
  static Pair p;
  return p;
}

// Largest per-channel difference between the two renders of `spec`.
int max_difference(const RenderSpec& spec, const Scene* scene = nullptr) {
  TempDir dir;
  RenderSpec a = spec, b = spec;
  a.output = (dir.path / "variant.png").string();
  b.output = (dir.path / "generic.png").string();
  auto ra = scene ? pair().variants->render_scene(*scene, a, {}) : pair().variants->render(a);
  auto rb = scene ? pair().generic->render_scene(*scene, b, {}) : pair().generic->render(b);
  REQUIRE(ra);
  REQUIRE(rb);
  auto pa = read_png(a.output);
  auto pb = read_png(b.output);
  REQUIRE(pa);
  REQUIRE(pb);
  REQUIRE(pa->rgba.size() == pb->rgba.size());
  int worst = 0;
  for (std::size_t i = 0; i < pa->rgba.size(); ++i) worst = std::max(worst, std::abs(pa->rgba[i] - pb->rgba[i]));
  return worst;
}

RenderSpec sample(const std::string& model) {
  RenderSpec s;
  s.scene = std::string(RENDERQ_SAMPLES_DIR) + "/" + model + "/glTF-Binary/" + model + ".glb";
  s.width = s.height = 96;
  s.samples = 4;
  return s;
}

}  // namespace

TEST_CASE("shader variants draw the generic program's pixels: sample models", "[render][variants]") {
  for (const char* model : {"NormalTangentTest", "TextureEncodingTest", "MultiUVTest", "EmissiveStrengthTest",
                            "UnlitTest", "VertexColorTest", "TextureSettingsTest", "MetalRoughSpheresNoTextures"}) {
    INFO(model);
    CHECK(max_difference(sample(model)) == 0);
  }
}

TEST_CASE("shader variants draw the generic program's pixels: tone curves", "[render][variants]") {
  for (ToneMap t : {ToneMap::PbrNeutral, ToneMap::Aces, ToneMap::None}) {
    RenderSpec s = sample("NormalTangentTest");
    s.tonemap = t;
    s.exposure = 1.0;
    INFO(static_cast<int>(t));
    CHECK(max_difference(s) == 0);
  }
}

TEST_CASE("shader variants draw the generic program's pixels: blended and masked", "[render][variants]") {
  Material blend = dielectric(glm::vec3(0.8f, 0.3f, 0.2f), 0.4f);
  blend.alpha_mode = AlphaMode::Blend;
  blend.base_color.a = 0.5f;
  Scene scene = scene_of({sphere(1.0f), sphere(0.6f, glm::vec3(0.5f, 0.0f, 0.8f))}, blend);
  RenderSpec s;
  s.scene = "/in-memory.glb";
  s.width = s.height = 64;
  s.samples = 4;
  CHECK(max_difference(s, &scene) == 0);
  Material mask = blend;
  mask.alpha_mode = AlphaMode::Mask;
  mask.alpha_cutoff = 0.6f;  // all cut
  Scene masked = scene_of({sphere(1.0f)}, mask);
  CHECK(max_difference(s, &masked) == 0);
}

TEST_CASE("shader variants draw the generic program's pixels: material extensions", "[render][variants]") {
  // Transmission (its opaque pre-pass draws with the variants too), volume
  // and anisotropy from the sample models; the other layers on a sphere.
  for (const char* model : {"AttenuationTest", "AnisotropyStrengthTest"}) {
    INFO(model);
    CHECK(max_difference(sample(model)) == 0);
  }
  Material layered = dielectric(glm::vec3(0.6f, 0.5f, 0.9f), 0.3f);
  layered.ior = 1.7f;
  layered.specular_color = glm::vec3(0.8f, 1.0f, 0.9f);
  layered.clearcoat = 0.8f;
  layered.clearcoat_roughness = 0.2f;
  layered.sheen_color = glm::vec3(0.5f, 0.2f, 0.1f);
  layered.sheen_roughness = 0.5f;
  layered.iridescence = 1.0f;
  layered.anisotropy = 0.6f;
  Scene scene = scene_of({sphere(1.0f)}, layered);
  RenderSpec s;
  s.scene = "/in-memory.glb";
  s.width = s.height = 64;
  s.samples = 4;
  CHECK(max_difference(s, &scene) == 0);
  Material glass = layered;
  glass.transmission = 1.0f;
  glass.thickness = 0.5f;
  glass.attenuation_distance = 1.0f;
  glass.attenuation_color = glm::vec3(0.9f, 0.5f, 0.3f);
  // Glass in front of an opaque core material (another program draws it).
  Scene transmissive = scene_of({sphere(1.0f), sphere(0.4f, glm::vec3(0.0f, 0.0f, -1.5f))}, glass);
  transmissive.materials.push_back(dielectric(glm::vec3(0.9f, 0.2f, 0.1f), 0.5f));
  transmissive.meshes[1].primitives[0].material = 1;
  CHECK(max_difference(s, &transmissive) == 0);
}
