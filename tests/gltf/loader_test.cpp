// The glTF loader against the Khronos sample models in tests/data/samples:
// each relevant sample loads with the counts and values its file holds.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "gltf/scene.hpp"
#include "test_support.hpp"

using gltf_test::load_ok;
using gltf_test::sample;
using renderq::Errc;
using renderq::LoadOptions;
using renderq::PrimitiveMode;
using renderq::Scene;

namespace {

LoadOptions scene_option(int index) {
  LoadOptions o;
  o.scene_index = index;
  return o;
}



std::size_t triangle_count(const renderq::Primitive& p) {
  return (p.indices.empty() ? p.positions.size() : p.indices.size()) / 3;
}

// Every triangle primitive must leave the loader with unit normals and unit
// tangents orthogonal to them, whatever the file provided.
void check_shading_frames(const Scene& scene) {
  for (const auto& mesh : scene.meshes) {
    for (const auto& p : mesh.primitives) {
      if (p.mode != PrimitiveMode::Triangles && p.mode != PrimitiveMode::TriangleStrip &&
          p.mode != PrimitiveMode::TriangleFan)
        continue;
      REQUIRE(p.normals.size() == p.positions.size());
      REQUIRE(p.tangents.size() == p.positions.size());
      for (std::size_t i = 0; i < p.positions.size(); ++i) {
        CHECK(glm::length(p.normals[i]) == Approx(1.0f).margin(2e-2));
        CHECK(std::abs(p.tangents[i].w) == 1.0f);
      }
    }
  }
}

}  // namespace

TEST_CASE("Box loads in all three containers with 12 triangles on 24 vertices", "[gltf]") {
  for (const char* rel : {"Box/glTF/Box.gltf", "Box/glTF-Binary/Box.glb",
                          "Box/glTF-Embedded/Box.gltf"}) {
    Scene s = load_ok(rel);
    REQUIRE(s.meshes.size() == 1);
    REQUIRE(s.meshes[0].primitives.size() == 1);
    const auto& p = s.meshes[0].primitives[0];
    CHECK(p.positions.size() == 24);
    CHECK(p.indices.size() == 36);
    CHECK(triangle_count(p) == 12);
    CHECK(p.normals.size() == 24);
    CHECK(p.material == 0);
    REQUIRE(s.materials.size() == 1);
    CHECK(s.materials[0].base_color.r == Approx(0.8f));
    CHECK(s.materials[0].metallic == Approx(0.0f));
    CHECK(s.mesh_instances.size() == 1);
    CHECK(p.bounds_min.x == Approx(-0.5f));
    CHECK(p.bounds_max.x == Approx(0.5f));
    // Box's root node rotates Y-up into Z-up; the world box stays a unit cube.
    CHECK(s.bounds_max.x - s.bounds_min.x == Approx(1.0f));
    CHECK(s.bounds_max.y - s.bounds_min.y == Approx(1.0f));
    CHECK(s.warnings.empty());
    check_shading_frames(s);
  }
}

TEST_CASE("BoxInterleaved reads a strided buffer view like Box", "[gltf]") {
  Scene inter = load_ok("BoxInterleaved/glTF-Binary/BoxInterleaved.glb");
  Scene plain = load_ok("Box/glTF-Binary/Box.glb");
  const auto& a = inter.meshes[0].primitives[0];
  const auto& b = plain.meshes[0].primitives[0];
  REQUIRE(a.positions.size() == 24);
  CHECK(a.bounds_min == b.bounds_min);
  CHECK(a.bounds_max == b.bounds_max);
  for (const auto& n : a.normals) CHECK(glm::length(n) == Approx(1.0f));
}

TEST_CASE("SimpleSparseAccessor applies its sparse values", "[gltf]") {
  Scene s = load_ok("SimpleSparseAccessor/glTF/SimpleSparseAccessor.gltf");
  // The file has no normals: flat normals de-index the 12 triangles.
  const auto& p = s.meshes[0].primitives[0];
  CHECK(p.indices.empty());
  CHECK(p.positions.size() == 36);
  // Sparse indices 8, 10, 12 move three vertices up to y = 2, 3 and 4:
  // the base grid tops out at y = 1, so max y = 4 proves they were applied.
  CHECK(p.bounds_max.y == Approx(4.0f));
  CHECK(p.bounds_max.x == Approx(6.0f));
  bool found = false;
  for (const auto& v : p.positions) found = found || (v == glm::vec3(3.0f, 3.0f, 0.0f));
  CHECK(found);
  check_shading_frames(s);
}

TEST_CASE("MultipleScenes uses the default scene unless one is chosen", "[gltf]") {
  Scene def = load_ok("MultipleScenes/glTF/MultipleScenes.gltf");
  REQUIRE(def.mesh_instances.size() == 1);
  CHECK(def.mesh_instances[0].mesh == 1);  // "scene": 1
  Scene first = load_ok("MultipleScenes/glTF/MultipleScenes.gltf", scene_option(0));
  REQUIRE(first.mesh_instances.size() == 1);
  CHECK(first.mesh_instances[0].mesh == 0);
  CHECK(first.meshes[0].primitives[0].positions.size() == 3);  // the triangle
  auto none = renderq::load_gltf(sample("MultipleScenes/glTF/MultipleScenes.gltf"),
                                 scene_option(2));
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == Errc::GltfSceneNotFound);
}

TEST_CASE("Cameras reads a perspective and an orthographic camera", "[gltf]") {
  Scene s = load_ok("Cameras/glTF/Cameras.gltf");
  REQUIRE(s.cameras.size() == 2);
  CHECK_FALSE(s.cameras[0].orthographic);
  CHECK(s.cameras[0].yfov == Approx(0.7f));
  CHECK(s.cameras[0].aspect == Approx(1.0f));
  CHECK(s.cameras[0].znear == Approx(0.01f));
  CHECK(s.cameras[0].zfar == Approx(100.0f));
  CHECK(s.cameras[1].orthographic);
  CHECK(s.cameras[1].xmag == Approx(1.0f));
  REQUIRE(s.camera_instances.size() == 2);
  CHECK(s.camera_instances[0].world[3] == glm::vec4(0.5f, 0.5f, 3.0f, 1.0f));
}

TEST_CASE("TextureTransformTest composes KHR_texture_transform", "[gltf]") {
  Scene s = load_ok("TextureTransformTest/glTF/TextureTransformTest.gltf");
  REQUIRE(s.materials.size() == 9);
  REQUIRE(s.images.size() == 5);
  for (const auto& img : s.images) {
    CHECK(img.width > 0);
    CHECK(img.rgba.size() == static_cast<std::size_t>(img.width * img.height * 4));
  }
  auto apply = [](const glm::mat3& m, glm::vec2 uv) { return glm::vec2(m * glm::vec3(uv, 1)); };
  const auto& offset_u = s.materials[0].base_color_tex;  // "Offset U": offset (0.5, 0)
  CHECK(offset_u.texture == 0);
  CHECK(apply(offset_u.uv_transform, {0, 0}) == glm::vec2(0.5f, 0.0f));
  const auto& scale = s.materials[4].base_color_tex;  // "Scale": 1.5
  CHECK(apply(scale.uv_transform, {1, 1}).x == Approx(1.5f));
  // "Rotation" by pi/8: the spec's matrix maps (1,0) to (cos r, -sin r).
  glm::vec2 r = apply(s.materials[3].base_color_tex.uv_transform, {1, 0});
  CHECK(r.x == Approx(std::cos(0.39269908f)));
  CHECK(r.y == Approx(-std::sin(0.39269908f)));
  CHECK(s.materials[6].base_color_tex.uv_transform == glm::mat3(1.0f));  // "Correct"
}

TEST_CASE("UnlitTest marks both materials unlit", "[gltf]") {
  Scene s = load_ok("UnlitTest/glTF-Binary/UnlitTest.glb");  // the extension is required
  REQUIRE(s.materials.size() == 2);
  CHECK(s.materials[0].unlit);
  CHECK(s.materials[1].unlit);
  CHECK(s.materials[0].base_color.g == Approx(0.217637640824031f));
}

TEST_CASE("EmissiveStrengthTest multiplies emissive by its strength", "[gltf]") {
  Scene s = load_ok("EmissiveStrengthTest/glTF-Binary/EmissiveStrengthTest.glb");
  REQUIRE(s.materials.size() == 6);
  CHECK(s.materials[0].emissive.z == Approx(0.9f * 4));   // Emit4
  CHECK(s.materials[3].emissive.z == Approx(0.9f));       // Emit1, no extension
  CHECK(s.materials[5].emissive.y == Approx(0.5f * 16));  // Emit16
  CHECK(s.materials[1].emissive == glm::vec3(0.0f));
}

TEST_CASE("MeshPrimitiveModes keeps every primitive mode", "[gltf]") {
  Scene s = load_ok("MeshPrimitiveModes/glTF/MeshPrimitiveModes.gltf");
  REQUIRE(s.meshes.size() == 7);
  const PrimitiveMode modes[] = {PrimitiveMode::Points, PrimitiveMode::Lines,
                                 PrimitiveMode::LineLoop, PrimitiveMode::LineStrip,
                                 PrimitiveMode::Triangles, PrimitiveMode::TriangleStrip,
                                 PrimitiveMode::TriangleFan};
  for (std::size_t i = 0; i < 4; ++i) {
    REQUIRE(s.meshes[i].primitives.size() == 1);
    CHECK(s.meshes[i].primitives[0].mode == modes[i]);
    CHECK(s.meshes[i].primitives[0].normals.empty());  // no shading frame for points/lines
  }
  // Triangle modes without normals are de-indexed into flat triangle lists.
  for (std::size_t i = 4; i < 7; ++i) {
    REQUIRE(s.meshes[i].primitives.size() == 1);
    const auto& p = s.meshes[i].primitives[0];
    CHECK(p.mode == PrimitiveMode::Triangles);
    CHECK(p.indices.empty());
    CHECK(p.positions.size() % 3 == 0);
    CHECK(p.positions.size() >= 3);
  }
  CHECK(s.mesh_instances.size() == 7);
  check_shading_frames(s);
}

TEST_CASE("AnimatedMorphCube's quantized variant matches the float one", "[gltf]") {
  Scene q = load_ok("AnimatedMorphCube/glTF-Quantized/AnimatedMorphCube.gltf");
  Scene f = load_ok("AnimatedMorphCube/glTF-Binary/AnimatedMorphCube.glb");
  REQUIRE(q.meshes[0].primitives[0].positions.size() == 24);
  // Normals are normalized BYTE (KHR_mesh_quantization).
  for (const auto& n : q.meshes[0].primitives[0].normals) CHECK(glm::length(n) == Approx(1).margin(0.02));
  // Positions are unnormalized USHORT scaled by the node: world bounds agree.
  for (int c = 0; c < 3; ++c) {
    CHECK(q.bounds_min[c] == Approx(f.bounds_min[c]).margin(1e-3));
    CHECK(q.bounds_max[c] == Approx(f.bounds_max[c]).margin(1e-3));
  }
}

TEST_CASE("BoxVertexColors reads COLOR_0", "[gltf]") {
  Scene s = load_ok("BoxVertexColors/glTF-Binary/BoxVertexColors.glb");
  const auto& p = s.meshes[0].primitives[0];
  REQUIRE(p.colors.size() == p.positions.size());
  for (const auto& c : p.colors) {
    CHECK(c.a == Approx(1.0f));
    CHECK(c.r >= 0.0f);
    CHECK(c.r <= 1.0f);
  }
  CHECK(p.material == -1);
}

TEST_CASE("MultiUVTest reads both texture coordinate sets", "[gltf]") {
  Scene s = load_ok("MultiUVTest/glTF-Binary/MultiUVTest.glb");
  const auto& p = s.meshes[0].primitives[0];
  CHECK(p.uv0.size() == 24);
  CHECK(p.uv1.size() == 24);
  CHECK(p.uv0 != p.uv1);
  const auto& m = s.materials[0];
  CHECK((m.base_color_tex.texcoord == 1 || m.emissive_tex.texcoord == 1 ||
         m.occlusion_tex.texcoord == 1));
}

TEST_CASE("NormalTangentTest gets generated tangents that follow its UVs", "[gltf]") {
  Scene s = load_ok("NormalTangentTest/glTF-Binary/NormalTangentTest.glb");
  const auto& p = s.meshes[0].primitives[0];
  REQUIRE(s.materials[0].normal_tex.texture >= 0);
  REQUIRE(p.tangents.size() == p.positions.size());
  check_shading_frames(s);
  // Tangents must be orthogonal to normals.
  for (std::size_t i = 0; i < p.positions.size(); ++i)
    CHECK(std::abs(glm::dot(glm::vec3(p.tangents[i]), p.normals[i])) < 1e-3f);
  CHECK(s.images.size() == 3);
  for (const auto& img : s.images) CHECK(img.width > 0);
}

TEST_CASE("Samples with skins, morphs, animation and instancing load their static pose", "[gltf]") {
  for (const char* rel :
       {"BoxAnimated/glTF-Binary/BoxAnimated.glb", "InterpolationTest/glTF-Binary/InterpolationTest.glb",
        "MetalRoughSpheresNoTextures/glTF-Binary/MetalRoughSpheresNoTextures.glb",
        "MorphPrimitivesTest/glTF-Binary/MorphPrimitivesTest.glb",
        "NegativeScaleTest/glTF-Binary/NegativeScaleTest.glb",
        "OrientationTest/glTF-Binary/OrientationTest.glb", "RiggedSimple/glTF-Binary/RiggedSimple.glb",
        "SimpleMorph/glTF/SimpleMorph.gltf", "SimpleSkin/glTF/SimpleSkin.gltf",
        "TextureCoordinateTest/glTF-Binary/TextureCoordinateTest.glb",
        "TextureEncodingTest/glTF-Binary/TextureEncodingTest.glb",
        "TextureLinearInterpolationTest/glTF-Binary/TextureLinearInterpolationTest.glb",
        "TextureSettingsTest/glTF-Binary/TextureSettingsTest.glb",
        "VertexColorTest/glTF-Binary/VertexColorTest.glb"}) {
    Scene s = load_ok(rel);
    CHECK_FALSE(s.mesh_instances.empty());
    CHECK(s.bounds_min.x < s.bounds_max.x);
    check_shading_frames(s);
  }
}


TEST_CASE("TextureSettingsTest reads samplers", "[gltf]") {
  Scene s = load_ok("TextureSettingsTest/glTF-Binary/TextureSettingsTest.glb");
  bool clamp = false, mirror = false;
  for (const auto& smp : s.samplers) {
    clamp = clamp || smp.wrap_s == 33071;
    mirror = mirror || smp.wrap_s == 33648;
  }
  CHECK(clamp);
  CHECK(mirror);
  bool double_sided = false;
  for (const auto& m : s.materials) double_sided = double_sided || m.double_sided;
  CHECK(double_sided);
}

TEST_CASE("load times are reported per stage", "[gltf]") {
  Scene s = load_ok("NormalTangentTest/glTF-Binary/NormalTangentTest.glb");
  CHECK(s.times.parse_ms > 0);
  CHECK(s.times.decode_ms > 0);
}
