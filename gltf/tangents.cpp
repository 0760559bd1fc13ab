#include "gltf/tangents.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <unordered_map>

namespace renderq {

namespace {

glm::vec3 any_perpendicular(const glm::vec3& n) {
  glm::vec3 axis = std::fabs(n.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
  glm::vec3 t = glm::cross(axis, n);
  float len = glm::length(t);
  return len > 0 ? t / len : glm::vec3(1, 0, 0);
}

// Vertices with the same position, normal and UV bits form one group.
struct VertexKey {
  std::array<std::uint32_t, 8> bits;
  bool operator==(const VertexKey&) const = default;
};
struct VertexKeyHash {
  std::size_t operator()(const VertexKey& k) const {
    std::size_t h = 1469598103934665603ull;
    for (std::uint32_t b : k.bits) h = (h ^ b) * 1099511628211ull;
    return h;
  }
};

std::uint32_t bits_of(float f) {
  if (f == 0.0f) f = 0.0f;  // -0 and +0 are the same vertex
  std::uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

template <typename T>
void append_corners(std::vector<T>& dst, const std::vector<T>& src,
                    const std::vector<std::uint32_t>& tris) {
  if (src.empty()) return;
  dst.reserve(tris.size());
  for (std::uint32_t i : tris) dst.push_back(src[i]);
}

}  // namespace

bool is_triangle_mode(PrimitiveMode mode) {
  return mode == PrimitiveMode::Triangles || mode == PrimitiveMode::TriangleStrip ||
         mode == PrimitiveMode::TriangleFan;
}

std::vector<std::uint32_t> triangle_list(PrimitiveMode mode,
                                         const std::vector<std::uint32_t>& indices,
                                         std::size_t vertex_count) {
  std::size_t n = indices.empty() ? vertex_count : indices.size();
  auto at = [&](std::size_t i) {
    return indices.empty() ? static_cast<std::uint32_t>(i) : indices[i];
  };
  std::vector<std::uint32_t> out;
  switch (mode) {
    case PrimitiveMode::Triangles:
      out.reserve(n / 3 * 3);
      for (std::size_t i = 0; i + 2 < n; i += 3) out.insert(out.end(), {at(i), at(i + 1), at(i + 2)});
      break;
    case PrimitiveMode::TriangleStrip:
      for (std::size_t i = 0; i + 2 < n; ++i) {
        if (i % 2 == 0) out.insert(out.end(), {at(i), at(i + 1), at(i + 2)});
        else out.insert(out.end(), {at(i + 1), at(i), at(i + 2)});
      }
      break;
    case PrimitiveMode::TriangleFan:
      for (std::size_t i = 1; i + 1 < n; ++i) out.insert(out.end(), {at(0), at(i), at(i + 1)});
      break;
    default: break;
  }
  return out;
}

void make_flat_normals(Primitive& prim) {
  std::vector<std::uint32_t> tris = triangle_list(prim.mode, prim.indices, prim.positions.size());
  Primitive flat;
  flat.mode = PrimitiveMode::Triangles;
  flat.material = prim.material;
  flat.bounds_min = prim.bounds_min;
  flat.bounds_max = prim.bounds_max;
  append_corners(flat.positions, prim.positions, tris);
  append_corners(flat.tangents, prim.tangents, tris);
  append_corners(flat.uv0, prim.uv0, tris);
  append_corners(flat.uv1, prim.uv1, tris);
  append_corners(flat.colors, prim.colors, tris);
  append_corners(flat.joints, prim.joints, tris);
  append_corners(flat.weights, prim.weights, tris);
  for (const MorphTarget& t : prim.targets) {
    MorphTarget ft;
    append_corners(ft.positions, t.positions, tris);
    append_corners(ft.normals, t.normals, tris);
    append_corners(ft.tangents, t.tangents, tris);
    flat.targets.push_back(std::move(ft));
  }
  set_face_normals(flat);
  prim = std::move(flat);
}

void set_face_normals(Primitive& prim) {
  prim.normals.resize(prim.positions.size());
  for (std::size_t t = 0; t + 2 < prim.positions.size(); t += 3) {
    glm::vec3 n = glm::cross(prim.positions[t + 1] - prim.positions[t],
                             prim.positions[t + 2] - prim.positions[t]);
    float len = glm::length(n);
    n = len > 0 ? n / len : glm::vec3(0, 0, 1);
    prim.normals[t] = prim.normals[t + 1] = prim.normals[t + 2] = n;
  }
}

std::vector<glm::vec4> generate_tangents(const std::vector<glm::vec3>& positions,
                                         const std::vector<glm::vec3>& normals,
                                         const std::vector<glm::vec2>& uv,
                                         const std::vector<std::uint32_t>& triangles) {
  std::size_t nv = positions.size();
  std::vector<glm::vec4> out(nv);
  if (uv.empty()) {
    for (std::size_t i = 0; i < nv; ++i) out[i] = glm::vec4(any_perpendicular(normals[i]), 1.0f);
    return out;
  }

  // Group identical vertices, as MikkTSpace does before accumulating.
  std::vector<std::uint32_t> group(nv);
  std::unordered_map<VertexKey, std::uint32_t, VertexKeyHash> groups;
  groups.reserve(nv);
  for (std::size_t i = 0; i < nv; ++i) {
    const glm::vec3& p = positions[i];
    const glm::vec3& n = normals[i];
    VertexKey key{{bits_of(p.x), bits_of(p.y), bits_of(p.z), bits_of(n.x), bits_of(n.y),
                   bits_of(n.z), bits_of(uv[i].x), bits_of(uv[i].y)}};
    auto [it, inserted] = groups.try_emplace(key, static_cast<std::uint32_t>(groups.size()));
    group[i] = it->second;
  }
  std::vector<glm::vec3> acc_t(groups.size(), glm::vec3(0)), acc_b(groups.size(), glm::vec3(0));

  for (std::size_t t = 0; t + 2 < triangles.size(); t += 3) {
    std::uint32_t v[3] = {triangles[t], triangles[t + 1], triangles[t + 2]};
    glm::vec3 e1 = positions[v[1]] - positions[v[0]];
    glm::vec3 e2 = positions[v[2]] - positions[v[0]];
    // glTF's v grows downwards; MikkTSpace, and normal maps' +Y = "up in
    // the image", work with v growing upwards, so flip v.
    glm::vec2 d1 = (uv[v[1]] - uv[v[0]]) * glm::vec2(1, -1);
    glm::vec2 d2 = (uv[v[2]] - uv[v[0]]) * glm::vec2(1, -1);
    float det = d1.x * d2.y - d2.x * d1.y;
    if (std::fabs(det) < 1e-20f) continue;  // degenerate UVs say nothing about direction
    float s = 1.0f / det;
    glm::vec3 tan = (e1 * d2.y - e2 * d1.y) * s;
    glm::vec3 bit = (e2 * d1.x - e1 * d2.x) * s;
    for (int c = 0; c < 3; ++c) {
      const glm::vec3& n = normals[v[c]];
      glm::vec3 a = positions[v[(c + 1) % 3]] - positions[v[c]];
      glm::vec3 b = positions[v[(c + 2) % 3]] - positions[v[c]];
      float la = glm::length(a), lb = glm::length(b);
      if (la <= 0 || lb <= 0) continue;
      float angle = std::acos(glm::clamp(glm::dot(a, b) / (la * lb), -1.0f, 1.0f));
      glm::vec3 tp = tan - n * glm::dot(n, tan);
      glm::vec3 bp = bit - n * glm::dot(n, bit);
      float lt = glm::length(tp), lbp = glm::length(bp);
      if (lt > 0) acc_t[group[v[c]]] += tp / lt * angle;
      if (lbp > 0) acc_b[group[v[c]]] += bp / lbp * angle;
    }
  }

  for (std::size_t i = 0; i < nv; ++i) {
    const glm::vec3& n = normals[i];
    glm::vec3 t = acc_t[group[i]];
    t -= n * glm::dot(n, t);
    float len = glm::length(t);
    t = (len > 1e-12f && std::isfinite(len)) ? t / len : any_perpendicular(n);
    float w = glm::dot(glm::cross(n, t), acc_b[group[i]]) < 0.0f ? -1.0f : 1.0f;
    out[i] = glm::vec4(t, w);
  }
  return out;
}

}  // namespace renderq
