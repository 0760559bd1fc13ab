// The sample models that live only in ../shared/gltf-samples (too large to
// copy into tests/data: AnimatedCube's textures alone are 0.9 MB): each loads
// with the feature it carries understood, nothing about it ignored, and the
// exact answers the file gives. CI has shared/ beside the clone, as every
// developer does; a missing folder fails the test rather than skipping it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <glm/gtc/quaternion.hpp>

#include "gltf/animation.hpp"
#include "gltf/pose.hpp"
#include "gltf/scene.hpp"

using renderq::Scene;

namespace {

Scene load_shared(const std::string& rel) {
  const std::string path = std::string(RENDERQ_SOURCE_DIR) + "/../shared/gltf-samples/" + rel;
  auto scene = renderq::load_gltf(path);
  INFO(path << ": " << (scene ? "" : scene.error().message()));
  REQUIRE(scene.has_value());
  return std::move(*scene);
}

bool warns_about(const Scene& s, const std::string& extension) {
  return std::any_of(s.warnings.begin(), s.warnings.end(),
                     [&](const std::string& w) { return w.find(extension) != std::string::npos; });
}

}  // namespace

TEST_CASE("AnimatedCube: a pose at each rotation keyframe is that keyframe", "[shared_samples][animation]") {
  Scene s = load_shared("AnimatedCube/glTF/AnimatedCube.gltf");
  REQUIRE(s.animations.size() == 1);
  const renderq::Animation& a = s.animations[0];
  auto ch = std::find_if(a.channels.begin(), a.channels.end(),
                         [](const renderq::AnimationChannel& c) { return c.path == renderq::AnimationPath::Rotation; });
  REQUIRE(ch != a.channels.end());
  const renderq::AnimationSampler& sampler = a.samplers[static_cast<std::size_t>(ch->sampler)];
  REQUIRE(sampler.width == 4);
  REQUIRE(sampler.input.size() >= 2);
  for (std::size_t k = 0; k < sampler.input.size(); ++k) {
    REQUIRE(renderq::pose_scene(s, renderq::PoseRequest{.animation = 0, .time = sampler.input[k]}));
    auto inst = std::find_if(s.mesh_instances.begin(), s.mesh_instances.end(),
                             [&](const renderq::MeshInstance& m) { return m.node == ch->node; });
    REQUIRE(inst != s.mesh_instances.end());
    const float* q = &sampler.output[k * 4];  // glTF: x, y, z, w
    const glm::mat3 want = glm::mat3_cast(glm::normalize(glm::quat(q[3], q[0], q[1], q[2])));
    glm::mat3 got(inst->world);
    for (int c = 0; c < 3; ++c) got[c] = glm::normalize(got[c]);  // the node's scale aside
    INFO("keyframe " << k << " at " << sampler.input[k] << " s");
    for (int c = 0; c < 3; ++c)
      for (int r = 0; r < 3; ++r) CHECK(got[c][r] == Approx(want[c][r]).margin(1e-5));
  }
}

TEST_CASE("TransmissionRoughnessTest: transmission and volume are understood", "[shared_samples][materials]") {
  Scene s = load_shared("TransmissionRoughnessTest/glTF-Binary/TransmissionRoughnessTest.glb");
  CHECK_FALSE(warns_about(s, "KHR_materials_transmission"));
  CHECK_FALSE(warns_about(s, "KHR_materials_volume"));
  // Five transmissive materials with the IORs their names give, each 5 mm thick.
  std::vector<float> iors;
  for (const renderq::Material& m : s.materials)
    if (m.transmission == 1.0f) {
      iors.push_back(m.ior);
      CHECK(m.thickness == Approx(0.005f));
      CHECK(m.metallic_roughness_tex.texture >= 0);  // roughness varies across the texture
    }
  std::sort(iors.begin(), iors.end());
  REQUIRE(iors.size() >= 5);
  CHECK(iors.front() == Approx(1.0f));
  CHECK(std::find_if(iors.begin(), iors.end(), [](float v) { return v == Approx(1.33f); }) != iors.end());
  CHECK(iors.back() == Approx(2.42f));
}

TEST_CASE("SheenCloth: sheen is understood", "[shared_samples][materials]") {
  Scene s = load_shared("SheenCloth/glTF/SheenCloth.gltf");
  CHECK_FALSE(warns_about(s, "KHR_materials_sheen"));
  CHECK(std::any_of(s.materials.begin(), s.materials.end(), [](const renderq::Material& m) {
    return m.sheen_color != glm::vec3(0.0f) || m.sheen_color_tex.texture >= 0;
  }));
}

TEST_CASE("TextureTransformMultiTest: every transform is understood", "[shared_samples][materials]") {
  Scene s = load_shared("TextureTransformMultiTest/glTF-Binary/TextureTransformMultiTest.glb");
  CHECK_FALSE(warns_about(s, "KHR_texture_transform"));
  int transformed = 0;
  for (const renderq::Material& m : s.materials)
    renderq::Material::each_texture(m, [&](const renderq::TextureRef& t, bool) {
      if (t.texture >= 0 && t.uv_transform != glm::mat3(1.0f)) ++transformed;
    });
  CHECK(transformed >= 2);
}
