// Scene-level loading on small generated files: node transforms, lights,
// texture-transform texCoord overrides, materials' every field.
#include <catch2/catch.hpp>

#include <glm/gtc/matrix_transform.hpp>

#include "test_support.hpp"

using namespace gltf_test;
using renderq::AlphaMode;
using renderq::LightType;

namespace {

renderq::Scene load(const Fixture& f) {
  TempDir dir;
  auto scene = f.load(dir);
  INFO((scene ? "" : scene.error().message()));
  REQUIRE(scene.has_value());
  return std::move(*scene);
}

void check_mat(const glm::mat4& a, const glm::mat4& b) {
  for (int c = 0; c < 4; ++c)
    for (int r = 0; r < 4; ++r) CHECK(a[c][r] == Approx(b[c][r]).margin(1e-5));
}

}  // namespace

TEST_CASE("node transforms compose parent * translation * rotation * scale", "[gltf]") {
  Fixture f;
  // Node 0: a matrix (translate x+10); child node 1: TRS, holding the mesh.
  f.gltf["nodes"] = json::array(
      {{{"matrix", {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 10, 0, 0, 1}}, {"children", {1}}},
       {{"mesh", 0},
        {"translation", {0, 2, 0}},
        {"rotation", {0, 0, 0.7071068, 0.7071068}},  // 90 degrees about +Z
        {"scale", {3, 3, 3}}}});
  renderq::Scene s = load(f);
  REQUIRE(s.mesh_instances.size() == 1);
  glm::mat4 want = glm::translate(glm::mat4(1), glm::vec3(10, 0, 0)) *
                   glm::translate(glm::mat4(1), glm::vec3(0, 2, 0)) *
                   glm::rotate(glm::mat4(1), glm::radians(90.0f), glm::vec3(0, 0, 1)) *
                   glm::scale(glm::mat4(1), glm::vec3(3));
  check_mat(s.mesh_instances[0].world, want);
  // The triangle's (1,0,0) corner lands at (10, 5, 0): bounds follow the world.
  CHECK(s.bounds_max.x == Approx(10.0f));
  CHECK(s.bounds_min.x == Approx(7.0f));
  CHECK(s.bounds_max.y == Approx(5.0f));
}

TEST_CASE("a node used twice in the scene is instanced twice", "[gltf]") {
  Fixture f;
  f.gltf["nodes"].push_back({{"children", {0}}, {"translation", {5, 0, 0}}});
  f.gltf["scenes"][0]["nodes"] = {0, 1};
  renderq::Scene s = load(f);
  REQUIRE(s.mesh_instances.size() == 2);
  CHECK(s.mesh_instances[1].world[3].x == Approx(5.0f));
  CHECK(s.meshes.size() == 1);
}

TEST_CASE("KHR_lights_punctual lights are read and placed", "[gltf]") {
  Fixture f;
  f.gltf["extensionsUsed"] = {"KHR_lights_punctual"};
  f.gltf["extensions"] = {
      {"KHR_lights_punctual",
       {{"lights",
         {{{"type", "directional"}, {"color", {1, 0.5, 0.25}}, {"intensity", 3}},
          {{"type", "spot"}, {"name", "s"}, {"range", 20},
           {"spot", {{"innerConeAngle", 0.1}, {"outerConeAngle", 0.5}}}},
          {{"type", "point"}}}}}}};
  f.gltf["nodes"].push_back({{"translation", {0, 4, 0}},
                             {"extensions", {{"KHR_lights_punctual", {{"light", 1}}}}}});
  f.gltf["scenes"][0]["nodes"] = {0, 1};
  renderq::Scene s = load(f);
  REQUIRE(s.lights.size() == 3);
  CHECK(s.lights[0].type == LightType::Directional);
  CHECK(s.lights[0].color == glm::vec3(1, 0.5f, 0.25f));
  CHECK(s.lights[0].intensity == 3.0f);
  CHECK(s.lights[1].type == LightType::Spot);
  CHECK(s.lights[1].inner_cone == Approx(0.1f));
  CHECK(s.lights[1].outer_cone == Approx(0.5f));
  CHECK(s.lights[1].range == 20.0f);
  CHECK(s.lights[2].type == LightType::Point);
  REQUIRE(s.light_instances.size() == 1);
  CHECK(s.light_instances[0].light == 1);
  CHECK(s.light_instances[0].world[3].y == Approx(4.0f));
  CHECK(s.warnings.empty());
}

TEST_CASE("every material field is read", "[gltf]") {
  Fixture f;
  f.gltf["images"] = json::array({{{"uri", "uv.png"}}});
  f.gltf["samplers"] = json::array({{{"magFilter", 9728}, {"minFilter", 9987}, {"wrapS", 33071},
                                     {"wrapT", 33648}}});
  f.gltf["textures"] = json::array({{{"source", 0}, {"sampler", 0}}, {{"source", 0}}});
  f.gltf["materials"][0] = {
      {"name", "all"},
      {"pbrMetallicRoughness",
       {{"baseColorFactor", {0.5, 0.25, 0.125, 0.75}},
        {"metallicFactor", 0.3},
        {"roughnessFactor", 0.6},
        {"baseColorTexture",
         {{"index", 0},
          {"texCoord", 0},
          {"extensions", {{"KHR_texture_transform", {{"texCoord", 1}, {"offset", {0.5, 0}}}}}}}},
        {"metallicRoughnessTexture", {{"index", 1}, {"texCoord", 1}}}}},
      {"normalTexture", {{"index", 0}, {"scale", 0.5}}},
      {"occlusionTexture", {{"index", 1}, {"strength", 0.25}}},
      {"emissiveTexture", {{"index", 0}}},
      {"emissiveFactor", {1, 0.5, 0}},
      {"alphaMode", "MASK"},
      {"alphaCutoff", 0.3},
      {"doubleSided", true},
      {"extensions", {{"KHR_materials_emissive_strength", {{"emissiveStrength", 5}}}}}};
  TempDir dir;
  write_file(dir.path() / "uv.png", read_bytes(sample("TextureTransformTest/glTF/UV.png")));
  auto loaded = f.load(dir);
  REQUIRE(loaded.has_value());
  const renderq::Scene& s = *loaded;
  const renderq::Material& m = s.materials[0];
  CHECK(m.name == "all");
  CHECK(m.base_color == glm::vec4(0.5f, 0.25f, 0.125f, 0.75f));
  CHECK(m.metallic == Approx(0.3f));
  CHECK(m.roughness == Approx(0.6f));
  CHECK(m.base_color_tex.texture == 0);
  CHECK(m.base_color_tex.texcoord == 1);  // the extension overrides texCoord
  CHECK(m.base_color_tex.uv_transform[2][0] == Approx(0.5f));
  CHECK(m.metallic_roughness_tex.texture == 1);
  CHECK(m.metallic_roughness_tex.texcoord == 1);
  CHECK(m.normal_tex.scale == 0.5f);
  CHECK(m.occlusion_tex.scale == 0.25f);
  CHECK(m.emissive_tex.texture == 0);
  CHECK(m.emissive == glm::vec3(5, 2.5f, 0));
  CHECK(m.alpha_mode == AlphaMode::Mask);
  CHECK(m.alpha_cutoff == Approx(0.3f));
  CHECK(m.double_sided);
  CHECK_FALSE(m.unlit);
  REQUIRE(s.samplers.size() == 1);
  CHECK(s.samplers[0].mag_filter == 9728);
  CHECK(s.samplers[0].min_filter == 9987);
  CHECK(s.samplers[0].wrap_s == 33071);
  CHECK(s.samplers[0].wrap_t == 33648);
  CHECK(s.textures[1].sampler == -1);
  REQUIRE(s.images.size() == 1);
  CHECK(s.images[0].width == 256);
}
