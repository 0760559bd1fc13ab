// is_closed_outward: closed, consistently and outward wound surfaces only.
#include <catch2/catch.hpp>

#include <vector>

#include "gltf/closed_surface.hpp"

using namespace renderq;

namespace {

// A unit cube at `offset`, its 12 triangles counter-clockwise seen from outside.
void add_cube(std::vector<glm::vec3>& pos, std::vector<std::uint32_t>& idx, glm::vec3 offset = glm::vec3(0.0f)) {
  auto base = static_cast<std::uint32_t>(pos.size());
  for (int i = 0; i < 8; ++i)
    pos.push_back(offset + glm::vec3(static_cast<float>(i & 1), static_cast<float>((i >> 1) & 1),
                                     static_cast<float>((i >> 2) & 1)));
  const std::uint32_t faces[] = {0, 2, 3, 0, 3, 1,   // z = 0, seen from -z
                                 4, 5, 7, 4, 7, 6,   // z = 1
                                 0, 1, 5, 0, 5, 4,   // y = 0
                                 2, 6, 7, 2, 7, 3,   // y = 1
                                 0, 4, 6, 0, 6, 2,   // x = 0
                                 1, 3, 7, 1, 7, 5};  // x = 1
  for (std::uint32_t f : faces) idx.push_back(base + f);
}

std::vector<std::uint32_t> reversed(std::vector<std::uint32_t> idx) {
  for (std::size_t t = 0; t + 2 < idx.size(); t += 3) std::swap(idx[t + 1], idx[t + 2]);
  return idx;
}

}  // namespace

TEST_CASE("an outward-wound cube is closed", "[closed_surface]") {
  std::vector<glm::vec3> pos;
  std::vector<std::uint32_t> idx;
  add_cube(pos, idx, glm::vec3(100.0f, -3.0f, 7.0f));
  CHECK(is_closed_outward(pos, idx));
}

TEST_CASE("an inside-out cube is not", "[closed_surface]") {
  std::vector<glm::vec3> pos;
  std::vector<std::uint32_t> idx;
  add_cube(pos, idx);
  CHECK_FALSE(is_closed_outward(pos, reversed(idx)));
}

TEST_CASE("a cube with a hole or one flipped triangle is not", "[closed_surface]") {
  std::vector<glm::vec3> pos;
  std::vector<std::uint32_t> idx;
  add_cube(pos, idx);
  std::vector<std::uint32_t> open(idx.begin(), idx.end() - 3);
  CHECK_FALSE(is_closed_outward(pos, open));
  std::vector<std::uint32_t> flipped = idx;
  std::swap(flipped[1], flipped[2]);
  CHECK_FALSE(is_closed_outward(pos, flipped));
}

TEST_CASE("vertices split at seams weld by position, degenerate triangles are ignored", "[closed_surface]") {
  std::vector<glm::vec3> cube;
  std::vector<std::uint32_t> idx;
  add_cube(cube, idx);
  // Non-indexed: one vertex per corner, as a flat-shaded or UV-seamed mesh has.
  std::vector<glm::vec3> soup;
  for (std::uint32_t i : idx) soup.push_back(cube[i]);
  CHECK(is_closed_outward(soup, {}));
  // -0 welds to +0.
  for (glm::vec3& p : soup)
    if (p.x == 0.0f) p.x = -0.0f;
  soup[0].x = 0.0f;
  CHECK(is_closed_outward(soup, {}));
  // A zero-area triangle (two equal corners) changes nothing.
  idx.insert(idx.end(), {0, 0, 5});
  CHECK(is_closed_outward(cube, idx));
}

TEST_CASE("two-sided flat geometry and non-manifold edges are not closed", "[closed_surface]") {
  // A quad and its reverse: closed edges, zero volume.
  std::vector<glm::vec3> quad = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}};
  std::vector<std::uint32_t> front = {0, 1, 2, 0, 2, 3};
  std::vector<std::uint32_t> both = front;
  for (std::uint32_t i : reversed(front)) both.push_back(i);
  CHECK_FALSE(is_closed_outward(quad, front));
  CHECK_FALSE(is_closed_outward(quad, both));
  // The same cube twice over: every directed edge occurs twice.
  std::vector<glm::vec3> pos;
  std::vector<std::uint32_t> idx;
  add_cube(pos, idx);
  add_cube(pos, idx);
  CHECK_FALSE(is_closed_outward(pos, idx));
}

TEST_CASE("every piece must be outward: one inside-out cube spoils the primitive", "[closed_surface]") {
  std::vector<glm::vec3> pos;
  std::vector<std::uint32_t> a, b;
  add_cube(pos, a);
  add_cube(pos, b, glm::vec3(3.0f, 0.0f, 0.0f));
  std::vector<std::uint32_t> both = a;
  both.insert(both.end(), b.begin(), b.end());
  CHECK(is_closed_outward(pos, both));
  // The inside-out piece is the smaller: the summed volume alone would pass.
  for (std::size_t i = 8; i < 16; ++i) pos[i] *= 0.5f;
  std::vector<std::uint32_t> mixed = a;
  for (std::uint32_t i : reversed(b)) mixed.push_back(i);
  CHECK_FALSE(is_closed_outward(pos, mixed));
}

TEST_CASE("nothing to test, or an index out of range, is not closed", "[closed_surface]") {
  std::vector<glm::vec3> pos;
  std::vector<std::uint32_t> idx;
  CHECK_FALSE(is_closed_outward(pos, idx));
  add_cube(pos, idx);
  idx[5] = 8;
  CHECK_FALSE(is_closed_outward(pos, idx));
}
