// EXT_meshopt_compression: compressed views decode to the bytes that were
// encoded (attributes, triangles, index sequences, the three filters).
#include <catch2/catch.hpp>

#include <cstring>

#include "gltf/scene.hpp"
#include "test_support.hpp"

using namespace gltf_test;

TEST_CASE("a meshopt-compressed triangle loads like the plain one", "[meshopt]") {
  TempDir dir;
  auto plain = Fixture().load(dir);
  auto packed = meshopt_fixture().load(dir);
  REQUIRE(plain.has_value());
  INFO((packed ? "" : packed.error().message()));
  REQUIRE(packed.has_value());
  CHECK(packed->meshes[0].primitives[0].positions == plain->meshes[0].primitives[0].positions);
  CHECK(packed->warnings.empty());
}

TEST_CASE("INDICES mode and the EXPONENTIAL filter decode", "[meshopt]") {
  Fixture f = meshopt_fixture();
  // Re-encode the positions with the exponential filter (exact for these
  // small integers) and the indices as a sequence.
  float pos[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
  unsigned int filtered[9];
  meshopt_encodeFilterExp(filtered, 3, 12, 24, pos);
  std::vector<std::uint8_t> v(meshopt_encodeVertexBufferBound(3, 12));
  v.resize(meshopt_encodeVertexBuffer(v.data(), v.size(), filtered, 3, 12));
  unsigned int idx[3] = {0, 1, 2};
  std::vector<std::uint8_t> i(meshopt_encodeIndexSequenceBound(3, 3));
  i.resize(meshopt_encodeIndexSequence(i.data(), i.size(), idx, 3));
  std::size_t ioff = (v.size() + 3) / 4 * 4;
  f.bin.assign(ioff + i.size(), 0);
  std::memcpy(f.bin.data(), v.data(), v.size());
  std::memcpy(f.bin.data() + ioff, i.data(), i.size());
  f.gltf["buffers"][1]["byteLength"] = f.bin.size();
  auto& ve = f.gltf["bufferViews"][0]["extensions"]["EXT_meshopt_compression"];
  ve["byteLength"] = v.size();
  ve["filter"] = "EXPONENTIAL";
  auto& ie = f.gltf["bufferViews"][1]["extensions"]["EXT_meshopt_compression"];
  ie["byteOffset"] = ioff;
  ie["byteLength"] = i.size();
  ie["mode"] = "INDICES";
  TempDir dir;
  auto s = f.load(dir);
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  const auto& p = s->meshes[0].primitives[0];
  REQUIRE(p.positions.size() == 3);  // flat normals: one vertex per corner
  CHECK(p.positions[1] == glm::vec3(1, 0, 0));
  CHECK(p.positions[2] == glm::vec3(0, 1, 0));
}

TEST_CASE("the OCTAHEDRAL filter decodes unit normals", "[meshopt]") {
  // Normals through OCTAHEDRAL (8-bit, stride 4): the triangle's +Z normal.
  Fixture f = meshopt_fixture();
  float n[12] = {0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0};
  std::uint8_t oct[12];
  meshopt_encodeFilterOct(oct, 3, 4, 8, n);
  std::vector<std::uint8_t> v(meshopt_encodeVertexBufferBound(3, 4));
  v.resize(meshopt_encodeVertexBuffer(v.data(), v.size(), oct, 3, 4));
  std::size_t off = (f.bin.size() + 3) / 4 * 4;
  f.bin.resize(off + v.size());
  std::memcpy(f.bin.data() + off, v.data(), v.size());
  f.gltf["buffers"][1]["byteLength"] = f.bin.size();
  f.gltf["buffers"][0]["byteLength"] = 56;
  f.gltf["bufferViews"].push_back(
      {{"buffer", 0}, {"byteOffset", 44}, {"byteLength", 12}, {"byteStride", 4},
       {"extensions", {{"EXT_meshopt_compression", {{"buffer", 1}, {"byteOffset", off}, {"byteLength", v.size()},
                                                   {"byteStride", 4}, {"count", 3}, {"mode", "ATTRIBUTES"},
                                                   {"filter", "OCTAHEDRAL"}}}}}});
  f.gltf["accessors"].push_back(
      {{"bufferView", 2}, {"componentType", 5120}, {"normalized", true}, {"count", 3}, {"type", "VEC3"}});
  f.gltf["meshes"][0]["primitives"][0]["attributes"]["NORMAL"] = 2;
  f.gltf["extensionsUsed"].push_back("KHR_mesh_quantization");
  TempDir dir;
  auto s = f.load(dir);
  INFO((s ? "" : s.error().message()));
  REQUIRE(s.has_value());
  for (const glm::vec3& nn : s->meshes[0].primitives[0].normals) CHECK(nn.z == Approx(1.0f).margin(1e-2));
}
