// KHR_draco_mesh_compression: each Draco sample loads to the positions of
// its uncompressed twin (within the encoder's quantization), with the same
// triangles, morph targets and skin.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gltf/pose.hpp"
#include "gltf/scene.hpp"
#include "test_support.hpp"

using namespace gltf_test;
using renderq::Errc;
using renderq::Scene;

namespace {


// Every vertex of `a` has one of `b` within `tol`, and the reverse
// (Draco may reorder vertices, so compare as point sets).
void same_points(const std::vector<glm::vec3>& a, const std::vector<glm::vec3>& b, float tol) {
  auto covered = [tol](const std::vector<glm::vec3>& x, const std::vector<glm::vec3>& y) {
    for (const glm::vec3& p : x) {
      float best = 1e30f;
      for (const glm::vec3& q : y) best = std::min(best, glm::length(p - q));
      if (best > tol) return false;
    }
    return true;
  };
  CHECK(covered(a, b));
  CHECK(covered(b, a));
}

std::size_t triangles(const renderq::Primitive& p) {
  return (p.indices.empty() ? p.positions.size() : p.indices.size()) / 3;
}

// Box's size is 1 with 14-bit quantization; the other samples are larger.
void same_geometry(const Scene& draco, const Scene& plain, float tol) {
  REQUIRE(draco.meshes.size() == plain.meshes.size());
  for (std::size_t m = 0; m < plain.meshes.size(); ++m) {
    REQUIRE(draco.meshes[m].primitives.size() == plain.meshes[m].primitives.size());
    for (std::size_t i = 0; i < plain.meshes[m].primitives.size(); ++i) {
      const auto& d = draco.meshes[m].primitives[i];
      const auto& p = plain.meshes[m].primitives[i];
      INFO("mesh " << m << " primitive " << i);
      CHECK(triangles(d) == triangles(p));
      CHECK(d.positions.size() == p.positions.size());
      same_points(d.positions, p.positions, tol);
    }
  }
  CHECK(glm::length(draco.bounds_min - plain.bounds_min) < tol * 4);
  CHECK(glm::length(draco.bounds_max - plain.bounds_max) < tol * 4);
}

}  // namespace

TEST_CASE("Draco Box loads to the uncompressed Box's vertices", "[draco]") {
  Scene d = load_ok("Box/glTF-Draco/Box.gltf");
  Scene p = load_ok("Box/glTF/Box.gltf");
  same_geometry(d, p, 2e-3f);
  REQUIRE(d.meshes[0].primitives[0].indices.size() == 36);
  CHECK(d.warnings.empty());
}

TEST_CASE("Draco MorphPrimitivesTest morphs like the uncompressed one", "[draco]") {
  // The mesh's default weight 0.5 is applied at rest: a reordered Draco
  // vertex would pick up another vertex's target delta and miss.
  Scene d = load_ok("MorphPrimitivesTest/glTF-Draco/MorphPrimitivesTest.gltf");
  Scene p = load_ok("MorphPrimitivesTest/glTF-Binary/MorphPrimitivesTest.glb");
  REQUIRE(d.meshes[0].primitives[0].targets.size() == 1);
  same_geometry(d, p, 2e-3f);
}

TEST_CASE("Draco RiggedSimple skins like the uncompressed one", "[draco]") {
  Scene d = load_ok("RiggedSimple/glTF-Draco/RiggedSimple.gltf");
  Scene p = load_ok("RiggedSimple/glTF-Binary/RiggedSimple.glb");
  same_geometry(d, p, 5e-3f);
  REQUIRE_FALSE(d.animations.empty());
  float t = d.animations[0].end / 2;
  REQUIRE(renderq::pose_scene(d, {.animation = 0, .time = t}).has_value());
  REQUIRE(renderq::pose_scene(p, {.animation = 0, .time = t}).has_value());
  same_geometry(d, p, 5e-3f);
}

// Issue 13: the budget is charged from the accessors' counts, so a Draco
// stream that decodes to more vertices than its POSITION accessor says is
// refused rather than allowed past what was charged.
TEST_CASE("a Draco stream decoding to more vertices than its accessor says is gltf_invalid", "[draco][budget]") {
  TempDir dir;
  const fs::path src = fs::path(sample("Box/glTF-Draco/Box.gltf")).parent_path();
  for (const auto& e : fs::directory_iterator(src)) fs::copy_file(e.path(), dir.path() / e.path().filename());
  json doc = json::parse(read_bytes(dir.path() / "Box.gltf"));
  const int pos = doc["meshes"][0]["primitives"][0]["attributes"]["POSITION"].get<int>();
  doc["accessors"][static_cast<std::size_t>(pos)]["count"] = 3;
  write_file(dir.path() / "Box.gltf", doc.dump());
  auto scene = renderq::load_gltf((dir.path() / "Box.gltf").string());
  REQUIRE_FALSE(scene.has_value());
  CHECK(scene.error().code == Errc::GltfInvalid);
}
