#include "tests/render/test_scenes.hpp"

#include <cmath>

namespace renderq::test {

namespace {
void finish(Primitive& p) {
  p.bounds_min = glm::vec3(1e30f);
  p.bounds_max = glm::vec3(-1e30f);
  for (const glm::vec3& v : p.positions) {
    p.bounds_min = glm::min(p.bounds_min, v);
    p.bounds_max = glm::max(p.bounds_max, v);
  }
}
}  // namespace

Primitive sphere(float radius, glm::vec3 center, int rings, int segments) {
  Primitive p;
  const float pi = 3.14159265f;
  for (int r = 0; r <= rings; ++r) {
    float theta = pi * static_cast<float>(r) / static_cast<float>(rings);
    for (int s = 0; s <= segments; ++s) {
      float phi = 2 * pi * static_cast<float>(s) / static_cast<float>(segments);
      glm::vec3 n(std::sin(theta) * std::sin(phi), std::cos(theta), std::sin(theta) * std::cos(phi));
      p.positions.push_back(center + radius * n);
      p.normals.push_back(n);
      p.tangents.emplace_back(std::cos(phi), 0.0f, -std::sin(phi), 1.0f);
      p.uv0.emplace_back(static_cast<float>(s) / static_cast<float>(segments),
                         static_cast<float>(r) / static_cast<float>(rings));
    }
  }
  auto at = [&](int r, int s) { return static_cast<std::uint32_t>(r * (segments + 1) + s); };
  for (int r = 0; r < rings; ++r)
    for (int s = 0; s < segments; ++s) {
      p.indices.insert(p.indices.end(), {at(r, s), at(r + 1, s), at(r + 1, s + 1)});
      p.indices.insert(p.indices.end(), {at(r, s), at(r + 1, s + 1), at(r, s + 1)});
    }
  finish(p);
  return p;
}

Primitive quad(float size, bool facing_away) {
  Primitive p;
  float h = size / 2;
  float z = facing_away ? -1.0f : 1.0f;
  p.positions = {{-h, -h, 0}, {h, -h, 0}, {h, h, 0}, {-h, h, 0}};
  p.normals.assign(4, glm::vec3(0, 0, z));
  p.tangents.assign(4, glm::vec4(1, 0, 0, 1));
  p.uv0 = {{0, 1}, {1, 1}, {1, 0}, {0, 0}};
  p.indices = facing_away ? std::vector<std::uint32_t>{0, 2, 1, 0, 3, 2} : std::vector<std::uint32_t>{0, 1, 2, 0, 2, 3};
  finish(p);
  return p;
}

Primitive box(glm::vec3 half) {
  Primitive p;
  // Six faces, each with its own normal, counter-clockwise seen from outside.
  const glm::vec3 axes[3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (int a = 0; a < 3; ++a)
    for (float sign : {1.0f, -1.0f}) {
      glm::vec3 n = axes[a] * sign;
      glm::vec3 u = axes[(a + 1) % 3], v = axes[(a + 2) % 3];
      if (sign < 0) std::swap(u, v);
      auto base = static_cast<std::uint32_t>(p.positions.size());
      for (auto [su, sv] : {std::pair{-1.f, -1.f}, {1.f, -1.f}, {1.f, 1.f}, {-1.f, 1.f}}) {
        p.positions.push_back((n + u * su + v * sv) * half);
        p.normals.push_back(n);
        p.tangents.emplace_back(u, 1.0f);
      }
      p.indices.insert(p.indices.end(), {base, base + 1, base + 2, base, base + 2, base + 3});
    }
  finish(p);
  return p;
}

Scene scene_of(std::vector<Primitive> prims, const Material& material) {
  Scene s;
  s.materials.push_back(material);
  s.bounds_min = glm::vec3(1e30f);
  s.bounds_max = glm::vec3(-1e30f);
  for (Primitive& p : prims) {
    p.material = 0;
    s.bounds_min = glm::min(s.bounds_min, p.bounds_min);
    s.bounds_max = glm::max(s.bounds_max, p.bounds_max);
    Mesh m;
    m.primitives.push_back(std::move(p));
    s.meshes.push_back(std::move(m));
    s.mesh_instances.push_back(MeshInstance{static_cast<int>(s.meshes.size()) - 1, glm::mat4(1.0f)});
  }
  return s;
}

Material unlit(glm::vec4 color) {
  Material m;
  m.base_color = color;
  m.unlit = true;
  m.metallic = 0;
  return m;
}

Material dielectric(glm::vec3 color, float roughness) {
  Material m;
  m.base_color = glm::vec4(color, 1.0f);
  m.metallic = 0.0f;
  m.roughness = roughness;
  return m;
}

}  // namespace renderq::test
