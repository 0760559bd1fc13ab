// Accessor decoding: every component type, normalization, strides, sparse.
#include <catch2/catch.hpp>

#include <cstring>

#include "gltf/accessor.hpp"

using renderq::Errc;
using namespace renderq::gltf;

namespace {

// A document with one buffer holding `bytes` and one view over all of it.
Document doc_with(std::vector<std::uint8_t> bytes, Json accessor, std::size_t stride = 0) {
  Document doc;
  Json view = {{"buffer", 0}, {"byteLength", bytes.size()}};
  if (stride) view["byteStride"] = stride;
  doc.json = {{"asset", {{"version", "2.0"}}},
              {"bufferViews", Json::array({view})},
              {"accessors", Json::array({accessor})}};
  doc.buffers.push_back(std::move(bytes));
  return doc;
}

template <typename T>
std::vector<std::uint8_t> bytes_of(std::initializer_list<T> values) {
  std::vector<std::uint8_t> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.begin(), out.size());
  return out;
}

Json scalar(int type, std::size_t count, bool normalized = false) {
  return {{"bufferView", 0}, {"componentType", type}, {"count", count}, {"type", "SCALAR"},
          {"normalized", normalized}};
}

}  // namespace

TEST_CASE("normalized integer components map to [-1,1] and [0,1]", "[accessor]") {
  auto b = read_floats(doc_with(bytes_of<std::int8_t>({-128, -127, 0, 127}), scalar(5120, 4, true)), 0);
  REQUIRE(b.has_value());
  CHECK(*b == std::vector<float>{-1.0f, -1.0f, 0.0f, 1.0f});
  auto ub = read_floats(doc_with(bytes_of<std::uint8_t>({0, 51, 255, 0}), scalar(5121, 3, true)), 0);
  CHECK(ub.value() == std::vector<float>{0.0f, 0.2f, 1.0f});
  auto s = read_floats(doc_with(bytes_of<std::int16_t>({-32768, 32767}), scalar(5122, 2, true)), 0);
  CHECK(s.value() == std::vector<float>{-1.0f, 1.0f});
  auto us = read_floats(doc_with(bytes_of<std::uint16_t>({65535, 0}), scalar(5123, 2, true)), 0);
  CHECK(us.value() == std::vector<float>{1.0f, 0.0f});
}

TEST_CASE("unnormalized integers keep their values", "[accessor]") {
  auto s = read_floats(doc_with(bytes_of<std::int16_t>({-300, 1200}), scalar(5122, 2)), 0);
  CHECK(s.value() == std::vector<float>{-300.0f, 1200.0f});
  auto u = read_indices(doc_with(bytes_of<std::uint32_t>({4000000000u, 7}), scalar(5125, 2)), 0);
  CHECK(u.value() == std::vector<std::uint32_t>{4000000000u, 7});
  auto f = read_floats(doc_with(bytes_of<float>({1.5f, -2.25f}), scalar(5126, 2)), 0);
  CHECK(f.value() == std::vector<float>{1.5f, -2.25f});
}

TEST_CASE("a strided view skips the bytes between elements", "[accessor]") {
  // Two VEC2 floats per 12-byte element; the last 4 bytes are another attribute.
  auto doc = doc_with(bytes_of<float>({1, 2, 99, 3, 4, 99}),
                      {{"bufferView", 0}, {"componentType", 5126}, {"count", 2}, {"type", "VEC2"}},
                      12);
  CHECK(read_floats(doc, 0).value() == std::vector<float>{1, 2, 3, 4});
}

TEST_CASE("an accessor without a buffer view is zeros, then sparse values", "[accessor]") {
  Document doc = doc_with(bytes_of<std::uint16_t>({2, 0}), Json::object());
  // View 1: the sparse values (one float).
  doc.buffers[0].resize(8);
  float v = 5.0f;
  std::memcpy(doc.buffers[0].data() + 4, &v, 4);
  doc.json["bufferViews"] = Json::array({{{"buffer", 0}, {"byteLength", 2}},
                                         {{"buffer", 0}, {"byteOffset", 4}, {"byteLength", 4}}});
  doc.json["accessors"][0] = {{"componentType", 5126}, {"count", 4}, {"type", "SCALAR"},
                              {"sparse", {{"count", 1},
                                          {"indices", {{"bufferView", 0}, {"componentType", 5123}}},
                                          {"values", {{"bufferView", 1}}}}}};
  CHECK(read_floats(doc, 0).value() == std::vector<float>{0, 0, 5, 0});
}

TEST_CASE("accessor headers are validated", "[accessor][badinput]") {
  auto bytes = bytes_of<float>({1, 2});
  CHECK(read_floats(doc_with(bytes, scalar(5126, 2, true)), 0).error().code == Errc::GltfInvalid);
  CHECK(read_indices(doc_with(bytes, scalar(5126, 2)), 0).error().code == Errc::GltfInvalid);
  CHECK(read_floats(doc_with(bytes, scalar(5126, 3)), 0).error().code ==
        Errc::GltfBufferOutOfRange);
  CHECK(read_floats(doc_with(bytes, scalar(5126, 2)), 1).error().code == Errc::GltfInvalid);
  Json mat = {{"bufferView", 0}, {"componentType", 5121}, {"count", 1}, {"type", "MAT2"}};
  CHECK(read_floats(doc_with(bytes, mat), 0).error().code == Errc::GltfInvalid);
}
