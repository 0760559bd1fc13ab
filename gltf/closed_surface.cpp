#include "gltf/closed_surface.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <new>
#include <vector>

namespace renderq {
namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

std::uint32_t bits_of(float f) { return std::bit_cast<std::uint32_t>(f == 0.0f ? 0.0f : f); }  // -0 welds to +0

bool same_position(const glm::vec3& a, const glm::vec3& b) {
  return bits_of(a.x) == bits_of(b.x) && bits_of(a.y) == bits_of(b.y) && bits_of(a.z) == bits_of(b.z);
}

// For each vertex, the first vertex with the same position bits (open
// addressing: linear in the vertex count).
std::vector<std::uint32_t> weld(std::span<const glm::vec3> positions) {
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, positions.size() * 2));
  const std::size_t mask = capacity - 1;
  std::vector<std::uint32_t> table(capacity, kNone);
  std::vector<std::uint32_t> id(positions.size());
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const glm::vec3& p = positions[i];
    std::uint64_t h = bits_of(p.x) * 0x9E3779B97F4A7C15ull;
    h = (h ^ bits_of(p.y)) * 0xC2B2AE3D27D4EB4Full;
    h = (h ^ bits_of(p.z)) * 0x165667B19E3779F9ull;
    std::size_t slot = static_cast<std::size_t>(h ^ (h >> 29)) & mask;
    while (table[slot] != kNone && !same_position(positions[table[slot]], p)) slot = (slot + 1) & mask;
    if (table[slot] == kNone) table[slot] = static_cast<std::uint32_t>(i);
    id[i] = table[slot];
  }
  return id;
}

std::uint32_t find_root(std::vector<std::uint32_t>& parent, std::uint32_t v) {
  while (parent[v] != v) {
    parent[v] = parent[parent[v]];
    v = parent[v];
  }
  return v;
}

}  // namespace

namespace {

bool closed_outward(std::span<const glm::vec3> positions, std::span<const std::uint32_t> indices) {
  const std::size_t n = positions.size();
  const std::size_t corners = indices.empty() ? n - n % 3 : indices.size() - indices.size() % 3;
  if (corners == 0 || n >= kNone) return false;
  for (std::uint32_t v : indices)
    if (v >= n) return false;
  const std::vector<std::uint32_t> id = weld(positions);

  // Welded corners of the triangles with area (no two corners equal).
  std::vector<std::uint32_t> tris;
  tris.reserve(corners);
  for (std::size_t t = 0; t < corners; t += 3) {
    std::uint32_t c[3];
    for (std::size_t k = 0; k < 3; ++k) c[k] = id[indices.empty() ? t + k : indices[t + k]];
    if (c[0] == c[1] || c[1] == c[2] || c[2] == c[0]) continue;
    tris.insert(tris.end(), c, c + 3);
  }
  if (tris.empty()) return false;

  // Outgoing edges per vertex (CSR), each list sorted.
  std::vector<std::uint32_t> start(n + 1, 0);
  for (std::size_t t = 0; t < tris.size(); t += 3)
    for (std::size_t k = 0; k < 3; ++k) ++start[tris[t + k] + 1];
  for (std::size_t v = 0; v < n; ++v) start[v + 1] += start[v];
  std::vector<std::uint32_t> dest(tris.size());
  {
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    for (std::size_t t = 0; t < tris.size(); t += 3)
      for (std::size_t k = 0; k < 3; ++k) dest[fill[tris[t + k]]++] = tris[t + (k + 1) % 3];
  }
  for (std::size_t v = 0; v < n; ++v) {
    auto first = dest.begin() + start[v], last = dest.begin() + start[v + 1];
    std::sort(first, last);
    if (std::adjacent_find(first, last) != last) return false;  // a directed edge twice
  }
  // Every a->b has its b->a (each occurs once, checked above).
  for (std::uint32_t a = 0; a < n; ++a) {
    for (std::uint32_t k = start[a]; k < start[a + 1]; ++k) {
      std::uint32_t b = dest[k];
      if (!std::binary_search(dest.begin() + start[b], dest.begin() + start[b + 1], a)) return false;
    }
  }

  // Signed volume of each connected piece, about a common origin (any
  // origin gives a closed piece's volume; a near one keeps precision).
  std::vector<std::uint32_t> parent(n), size(n, 1);
  for (std::uint32_t v = 0; v < n; ++v) parent[v] = v;
  for (std::size_t t = 0; t < tris.size(); t += 3) {
    for (std::size_t k = 1; k < 3; ++k) {
      std::uint32_t r = find_root(parent, tris[t]), s = find_root(parent, tris[t + k]);
      if (r == s) continue;
      if (size[r] < size[s]) std::swap(r, s);  // the smaller tree goes under: shallow trees
      parent[s] = r;
      size[r] += size[s];
    }
  }
  const glm::dvec3 origin(positions[tris[0]]);
  glm::dvec3 lo(std::numeric_limits<double>::max()), hi(std::numeric_limits<double>::lowest());
  std::vector<double> volume(n, 0.0);
  std::vector<char> has_piece(n, 0);
  for (std::size_t t = 0; t < tris.size(); t += 3) {
    glm::dvec3 p[3];
    for (std::size_t k = 0; k < 3; ++k) {
      p[k] = glm::dvec3(positions[tris[t + k]]) - origin;
      lo = glm::min(lo, p[k]);
      hi = glm::max(hi, p[k]);
    }
    std::uint32_t r = find_root(parent, tris[t]);
    volume[r] += glm::dot(p[0], glm::cross(p[1], p[2])) / 6.0;
    has_piece[r] = 1;
  }
  // A piece whose volume is rounding noise against the whole is flat: both
  // of its sides can show.
  const double extent = std::max({hi.x - lo.x, hi.y - lo.y, hi.z - lo.z});
  const double flat = 1e-9 * extent * extent * extent;
  if (!std::isfinite(flat)) return false;
  for (std::size_t v = 0; v < n; ++v)
    if (has_piece[v] && !(volume[v] > flat)) return false;
  return true;
}

}  // namespace

bool is_closed_outward(std::span<const glm::vec3> positions, std::span<const std::uint32_t> indices) {
  try {
    return closed_outward(positions, indices);
  } catch (const std::bad_alloc&) {
    return false;  // too big to check now: drawn whole, only slower
  }
}

}  // namespace renderq
