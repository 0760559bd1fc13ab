// Posing on the CPU: morph targets (mesh and node weights, animated
// weights), skins (joint matrix x inverse bind matrix, linear blend) and
// EXT_mesh_gpu_instancing, on the Khronos samples and a one-triangle fixture.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <tuple>

#include "gltf/animation.hpp"
#include "gltf/pose.hpp"
#include "gltf/scene.hpp"
#include "test_support.hpp"

using namespace gltf_test;
using renderq::Errc;
using renderq::Scene;

namespace {


// The fixture's triangle with one morph target that moves vertex 2 by (0, 2, 0).
Fixture morph_fixture() {
  Fixture f;
  float delta[9] = {0, 0, 0, 0, 0, 0, 0, 2, 0};
  std::size_t at = f.bin.size();
  f.bin.resize(at + 36);
  std::memcpy(f.bin.data() + at, delta, 36);
  f.gltf["buffers"][0]["byteLength"] = f.bin.size();
  f.gltf["bufferViews"].push_back({{"buffer", 0}, {"byteOffset", at}, {"byteLength", 36}});
  f.gltf["accessors"].push_back({{"bufferView", 2}, {"componentType", 5126}, {"count", 3}, {"type", "VEC3"}});
  f.gltf["meshes"][0]["primitives"][0]["targets"] = json::array({{{"POSITION", 2}}});
  return f;
}

}  // namespace

TEST_CASE("morph weight 0.5 puts a vertex half-way", "[pose]") {
  Fixture f = morph_fixture();
  f.gltf["meshes"][0]["weights"] = json::array({0.5});
  TempDir dir;
  auto s = f.load(dir);
  REQUIRE(s.has_value());
  const auto& p = s->meshes[0].primitives[0];
  REQUIRE(p.positions.size() == 3);
  CHECK(p.positions[2] == glm::vec3(0, 2, 0));  // (0, 1, 0) + 0.5 * (0, 2, 0)
  CHECK(p.positions[0] == glm::vec3(0, 0, 0));
  CHECK(p.bounds_max.y == 2.0f);
  // Flat normals stay face normals of the morphed triangle (still +Z here).
  CHECK(p.normals[2] == glm::vec3(0, 0, 1));
}

TEST_CASE("node weights override mesh weights, absent ones are zero", "[pose]") {
  Fixture f = morph_fixture();
  f.gltf["meshes"][0]["weights"] = json::array({0.5});
  f.gltf["nodes"][0]["weights"] = json::array({1.0});
  TempDir dir;
  auto s = f.load(dir);
  REQUIRE(s.has_value());
  CHECK(s->meshes[0].primitives[0].positions[2] == glm::vec3(0, 3, 0));
  Fixture g = morph_fixture();
  auto rest = g.load(dir);
  REQUIRE(rest.has_value());
  CHECK(rest->meshes[0].primitives[0].positions[2] == glm::vec3(0, 1, 0));
}

TEST_CASE("SimpleMorph applies its default mesh weights at rest", "[pose]") {
  Scene s = load_ok("SimpleMorph/glTF/SimpleMorph.gltf");
  const auto& p = s.meshes[0].primitives[0];
  REQUIRE(p.targets.size() == 2);
  REQUIRE(s.meshes[0].weights == std::vector<float>{0.5f, 0.5f});
  for (std::size_t i = 0; i < p.positions.size(); ++i)
    CHECK(glm::length(p.positions[i] - (p.rest_positions[i] + 0.5f * p.targets[0].positions[i] +
                                        0.5f * p.targets[1].positions[i])) < 1e-6f);
  // The file's targets do move vertices: the morph is visible.
  bool moved = false;
  for (std::size_t i = 0; i < p.positions.size(); ++i) moved = moved || p.positions[i] != p.rest_positions[i];
  CHECK(moved);
}

TEST_CASE("AnimatedMorphCube at a keyframe has the keyframe's weights", "[pose]") {
  Scene s = load_ok("AnimatedMorphCube/glTF-Binary/AnimatedMorphCube.glb");
  REQUIRE(s.animations.size() == 1);
  const auto& smp = s.animations[0].samplers[0];
  REQUIRE(smp.width == 2);
  std::size_t k = smp.input.size() / 2;
  REQUIRE(renderq::pose_scene(s, {.animation = 0, .time = smp.input[k]}).has_value());
  float w0 = smp.output[k * 2], w1 = smp.output[k * 2 + 1];
  const auto& p = s.meshes[0].primitives[0];
  for (std::size_t i = 0; i < p.positions.size(); ++i)
    CHECK(glm::length(p.positions[i] - (p.rest_positions[i] + w0 * p.targets[0].positions[i] +
                                        w1 * p.targets[1].positions[i])) < 1e-6f);
  for (const auto& n : p.normals) CHECK(glm::length(n) == Approx(1.0f).margin(1e-4));
  CHECK(s.meshes[0].deforms);
}

TEST_CASE("AnimatedMorphSphere loads and poses", "[pose]") {
  Scene s = load_ok("AnimatedMorphSphere/glTF-Binary/AnimatedMorphSphere.glb");
  REQUIRE_FALSE(s.animations.empty());
  const auto& a = s.animations[0];
  REQUIRE(renderq::pose_scene(s, {.animation = 0, .time = (a.start + a.end) / 2}).has_value());
  CHECK(s.bounds_min.x < s.bounds_max.x);
}

TEST_CASE("SimpleSkin: rest pose is the bind pose, the animated joint bends the top", "[pose]") {
  Scene s = load_ok("SimpleSkin/glTF/SimpleSkin.gltf");
  const auto& p = s.meshes[0].primitives[0];
  REQUIRE(p.positions.size() == 24);  // no normals in the file: flat, one vertex per corner
  for (std::size_t i = 0; i < 24; ++i) CHECK(glm::length(p.positions[i] - p.rest_positions[i]) < 1e-6f);
  REQUIRE(s.mesh_instances.size() == 1);
  CHECK(s.mesh_instances[0].world == glm::mat4(1.0f));  // skinned: vertices are in world space

  // At t = 1 s joint 1 (pivot (0, 1, 0)) is turned 90 degrees about +Z.
  REQUIRE(renderq::pose_scene(s, {.animation = 0, .time = 1.0f}).has_value());
  // The file's weights: y = 0 all on joint 0, y = 1 half and half, y = 2 all on joint 1.
  auto turned = [](glm::vec3 v) { return glm::vec3(-(v.y - 1.0f), 1.0f + v.x, v.z); };
  int checked = 0;
  for (std::size_t i = 0; i < p.positions.size(); ++i) {
    glm::vec3 r = p.rest_positions[i], want;
    if (r.y == 0.0f) {
      want = r;
    } else if (r.y == 1.0f) {
      want = 0.5f * r + 0.5f * turned(r);
    } else if (r.y == 2.0f) {
      want = turned(r);  // e.g. (-0.5, 2, 0) -> (-1, 0.5, 0)
    } else {
      continue;
    }
    INFO("rest " << r.x << "," << r.y);
    CHECK(glm::length(p.positions[i] - want) < 2e-3f);  // the file's quaternion is 0.707, not sqrt(0.5)
    ++checked;
  }
  CHECK(checked >= 12);
}

TEST_CASE("RiggedSimple poses without moving at rest and with its animation", "[pose]") {
  Scene s = load_ok("RiggedSimple/glTF-Binary/RiggedSimple.glb");
  const auto& p = s.meshes[0].primitives[0];
  glm::vec3 lo = s.bounds_min, hi = s.bounds_max;
  REQUIRE_FALSE(s.animations.empty());
  REQUIRE(renderq::pose_scene(s, {.animation = 0, .time = s.animations[0].end / 2}).has_value());
  bool moved = false;
  for (std::size_t i = 0; i < p.positions.size(); ++i) moved = moved || glm::length(p.positions[i] - p.rest_positions[i]) > 1e-3f;
  CHECK(moved);
  CHECK((s.bounds_min != lo || s.bounds_max != hi));
}

TEST_CASE("SimpleInstancing draws every one of its 125 instances", "[pose]") {
  Scene s = load_ok("SimpleInstancing/glTF-Binary/SimpleInstancing.glb");
  REQUIRE(s.nodes[0].instances.size() == 125);
  REQUIRE(s.mesh_instances.size() == 125);
  // Translations fill the 5x5x5 grid 0, 2.5, ..., 10 once each.
  std::set<std::tuple<int, int, int>> cells;
  for (const auto& inst : s.mesh_instances) {
    glm::vec3 t(inst.world[3]);
    cells.insert({static_cast<int>(std::lround(t.x * 10)), static_cast<int>(std::lround(t.y * 10)),
                  static_cast<int>(std::lround(t.z * 10))});
  }
  CHECK(cells.size() == 125);
  CHECK(s.bounds_max.x > 10.0f);
  CHECK(s.warnings.empty());
}

TEST_CASE("a deforming mesh drawn by two nodes is posed once per node", "[pose]") {
  Fixture f = morph_fixture();
  f.gltf["nodes"] = json::array({{{"mesh", 0}, {"weights", {1.0}}},
                                 {{"mesh", 0}, {"weights", {0.0}}, {"translation", {5, 0, 0}}}});
  f.gltf["scenes"][0]["nodes"] = json::array({0, 1});
  TempDir dir;
  auto s = f.load(dir);
  REQUIRE(s.has_value());
  REQUIRE(s->meshes.size() == 2);
  REQUIRE(s->mesh_instances.size() == 2);
  CHECK(s->meshes[static_cast<std::size_t>(s->mesh_instances[0].mesh)].primitives[0].positions[2].y == 3.0f);
  CHECK(s->meshes[static_cast<std::size_t>(s->mesh_instances[1].mesh)].primitives[0].positions[2].y == 1.0f);
}
