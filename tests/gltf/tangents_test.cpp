// Tangent generation, flat normals and triangle enumeration.
#include <catch2/catch.hpp>

#include <cmath>

#include "gltf/accessor.hpp"
#include "gltf/document.hpp"
#include "gltf/tangents.hpp"

using namespace renderq;

TEST_CASE("an upright texture on a quad gets +X tangents and w = +1", "[tangents]") {
  // glTF UVs: (0,0) is the image's top-left, v grows downwards, so an
  // upright image puts v = 0 at the top (+Y) of the quad.
  std::vector<glm::vec3> pos = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}};
  std::vector<glm::vec3> nrm(4, glm::vec3(0, 0, 1));
  std::vector<glm::vec2> uv = {{0, 1}, {1, 1}, {1, 0}, {0, 0}};
  std::vector<std::uint32_t> tris = {0, 1, 2, 0, 2, 3};
  auto t = generate_tangents(pos, nrm, uv, tris);
  for (const auto& v : t) {
    CHECK(v.x == Approx(1.0f));
    CHECK(v.y == Approx(0.0f).margin(1e-6));
    CHECK(v.w == 1.0f);  // bitangent = cross(n, t) * w = +Y, up the image
  }
  // Mirrored in U: the tangent flips and so does the handedness.
  std::vector<glm::vec2> mirrored = {{1, 1}, {0, 1}, {0, 0}, {1, 0}};
  auto m = generate_tangents(pos, nrm, mirrored, tris);
  for (const auto& v : m) {
    CHECK(v.x == Approx(-1.0f));
    CHECK(v.w == -1.0f);
  }
  // Upside-down image (v grows upwards): up the image is -Y, so w = -1.
  std::vector<glm::vec2> flipped_v = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
  auto f = generate_tangents(pos, nrm, flipped_v, tris);
  CHECK(f[0].x == Approx(1.0f));
  CHECK(f[0].w == -1.0f);
}

TEST_CASE("vertices sharing position, normal and UV share a tangent", "[tangents]") {
  // Two triangles meeting at duplicated (identical) vertices 1/3 and 2/4.
  std::vector<glm::vec3> pos = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0.5f}};
  std::vector<glm::vec3> nrm(6, glm::vec3(0, 0, 1));
  std::vector<glm::vec2> uv = {{0, 0}, {1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 1}};
  auto t = generate_tangents(pos, nrm, uv, {0, 1, 2, 3, 5, 4});
  CHECK(t[1] == t[3]);
  CHECK(t[2] == t[4]);
  for (const auto& v : t) CHECK(glm::dot(glm::vec3(v), glm::vec3(0, 0, 1)) == Approx(0.0f).margin(1e-6));
}

TEST_CASE("degenerate or missing UVs still give unit tangents", "[tangents]") {
  std::vector<glm::vec3> pos = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
  std::vector<glm::vec3> nrm(3, glm::vec3(0, 1, 0));
  auto a = generate_tangents(pos, nrm, {{0, 0}, {0, 0}, {0, 0}}, {0, 1, 2});
  auto b = generate_tangents(pos, nrm, {}, {0, 1, 2});
  for (const auto& v : a) CHECK(glm::length(glm::vec3(v)) == Approx(1.0f));
  for (const auto& v : b) CHECK(glm::dot(glm::vec3(v), nrm[0]) == Approx(0.0f).margin(1e-6));
}

TEST_CASE("triangle_list enumerates strips and fans with GL's winding", "[tangents]") {
  CHECK(triangle_list(PrimitiveMode::TriangleStrip, {}, 5) ==
        std::vector<std::uint32_t>{0, 1, 2, 2, 1, 3, 2, 3, 4});
  CHECK(triangle_list(PrimitiveMode::TriangleFan, {}, 5) ==
        std::vector<std::uint32_t>{0, 1, 2, 0, 2, 3, 0, 3, 4});
  CHECK(triangle_list(PrimitiveMode::Triangles, {5, 6, 7, 8}, 9) ==
        std::vector<std::uint32_t>{5, 6, 7});
}

TEST_CASE("flat normals de-index and face outwards", "[tangents]") {
  Primitive p;
  p.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}};
  p.uv0 = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  p.indices = {0, 1, 2, 2, 1, 3};
  make_flat_normals(p);
  CHECK(p.indices.empty());
  REQUIRE(p.positions.size() == 6);
  CHECK(p.uv0.size() == 6);
  CHECK(p.uv0[5] == glm::vec2(1, 1));
  for (const auto& n : p.normals) CHECK(n == glm::vec3(0, 0, 1));
}

TEST_CASE("generated tangents match the MikkTSpace tangents VertexColorTest ships", "[tangents]") {
  // Its first primitive carries exporter-written (MikkTSpace) tangents;
  // regenerate them from positions, normals and UVs and compare.
  auto doc = gltf::read_document(std::string(RENDERQ_SAMPLES_DIR) +
                                 "/VertexColorTest/glTF-Binary/VertexColorTest.glb");
  REQUIRE(doc.has_value());
  const auto& attrs = doc->json["meshes"][0]["primitives"][0]["attributes"];
  auto p = gltf::read_floats(*doc, attrs["POSITION"].get<int>());
  auto n = gltf::read_floats(*doc, attrs["NORMAL"].get<int>());
  auto uv = gltf::read_floats(*doc, attrs["TEXCOORD_0"].get<int>());
  auto file_t = gltf::read_floats(*doc, attrs["TANGENT"].get<int>());
  auto idx = gltf::read_indices(*doc, doc->json["meshes"][0]["primitives"][0]["indices"].get<int>());
  REQUIRE((p && n && uv && file_t && idx));
  std::vector<glm::vec3> pos, nrm;
  std::vector<glm::vec2> tex;
  for (std::size_t i = 0; i < p->size() / 3; ++i) {
    pos.emplace_back((*p)[3 * i], (*p)[3 * i + 1], (*p)[3 * i + 2]);
    nrm.push_back(glm::normalize(glm::vec3((*n)[3 * i], (*n)[3 * i + 1], (*n)[3 * i + 2])));
    tex.emplace_back((*uv)[2 * i], (*uv)[2 * i + 1]);
  }
  auto gen = generate_tangents(pos, nrm, tex, triangle_list(PrimitiveMode::Triangles, *idx, pos.size()));
  REQUIRE(gen.size() == 24);
  for (std::size_t i = 0; i < gen.size(); ++i) {
    glm::vec3 want = glm::normalize(glm::vec3((*file_t)[4 * i], (*file_t)[4 * i + 1], (*file_t)[4 * i + 2]));
    CHECK(glm::dot(want, glm::vec3(gen[i])) > std::cos(glm::radians(1.0f)));
    CHECK(gen[i].w == (*file_t)[4 * i + 3]);
  }
}
