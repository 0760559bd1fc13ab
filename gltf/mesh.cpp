// Meshes and primitives of a glTF file, resolved into plain vertex arrays.
#include <cmath>
#include <limits>

#include "gltf/accessor.hpp"
#include "gltf/parts.hpp"
#include "gltf/tangents.hpp"

namespace renderq::gltf {

namespace {

// Reads attribute `name` (if present) with one of the allowed component
// counts, checking that it has `expected_count` elements (0 = any).
Result<std::vector<float>> read_attribute(const Document& doc, JsonReader& r, const Json& attrs,
                                          const char* name, std::initializer_list<int> sizes,
                                          std::size_t expected_count, const std::string& where,
                                          int* components) {
  std::size_t naccessors = array_or_empty(doc.json, "accessors").size();
  int index = r.index(attrs, name, naccessors, -1, false, where + ".attributes");
  if (r.failed()) return std::unexpected(r.error());
  if (index < 0) return std::vector<float>{};
  auto info = accessor_info(doc, index);
  if (!info) return std::unexpected(info.error());
  bool size_ok = false;
  for (int s : sizes) size_ok = size_ok || info->components == s;
  if (!size_ok)
    return fail(Errc::GltfInvalid, where + " attribute " + name + " has " +
                                       std::to_string(info->components) + " components");
  if (expected_count && info->count != expected_count)
    return fail(Errc::GltfInvalid, where + " attribute " + name + " has " +
                                       std::to_string(info->count) + " elements, POSITION has " +
                                       std::to_string(expected_count));
  if (components) *components = info->components;
  return read_floats(doc, index);
}

template <typename V>
std::vector<V> as_vectors(const std::vector<float>& f) {
  constexpr std::size_t n = sizeof(V) / sizeof(float);
  std::vector<V> out(f.size() / n);
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t c = 0; c < n; ++c) out[i][static_cast<glm::length_t>(c)] = f[i * n + c];
  return out;
}

// Enough vertices (or indices) for at least one point, line or triangle.
bool drawable(const Primitive& p) {
  std::size_t n = p.indices.empty() ? p.positions.size() : p.indices.size();
  switch (p.mode) {
    case PrimitiveMode::Points: return n >= 1;
    case PrimitiveMode::Lines: case PrimitiveMode::LineLoop: case PrimitiveMode::LineStrip:
      return n >= 2;
    default: return n >= 3;
  }
}

Result<Primitive> read_primitive(const Document& doc, const Scene& scene, const Json& pj,
                                 const std::string& where) {
  JsonReader r;
  Primitive p;
  const Json* attrs = r.object(pj, "attributes", where);
  if (!attrs && !r.failed()) r.fail(Errc::GltfInvalid, where + " has no attributes");
  std::int64_t mode = r.count(pj, "mode", 4, false, where);
  p.material = r.index(pj, "material", scene.materials.size(), -1, false, where);
  if (r.failed()) return std::unexpected(r.error());
  if (mode > 6) return fail(Errc::GltfInvalid, where + ".mode " + std::to_string(mode) + " is unknown");
  p.mode = static_cast<PrimitiveMode>(mode);

  auto pos = read_attribute(doc, r, *attrs, "POSITION", {3}, 0, where, nullptr);
  if (!pos) return std::unexpected(pos.error());
  for (float f : *pos)
    if (!std::isfinite(f))
      return fail(Errc::GltfInvalid, where + " has a NaN or infinite POSITION");
  p.positions = as_vectors<glm::vec3>(*pos);
  std::size_t n = p.positions.size();

  auto nrm = read_attribute(doc, r, *attrs, "NORMAL", {3}, n, where, nullptr);
  if (!nrm) return std::unexpected(nrm.error());
  p.normals = as_vectors<glm::vec3>(*nrm);
  // Quantized and sloppy exporters give normals slightly off unit length.
  for (glm::vec3& v : p.normals) {
    float len = glm::length(v);
    v = (len > 0 && std::isfinite(len)) ? v / len : glm::vec3(0, 0, 1);
  }
  auto tan = read_attribute(doc, r, *attrs, "TANGENT", {4}, n, where, nullptr);
  if (!tan) return std::unexpected(tan.error());
  p.tangents = as_vectors<glm::vec4>(*tan);
  auto uv0 = read_attribute(doc, r, *attrs, "TEXCOORD_0", {2}, n, where, nullptr);
  if (!uv0) return std::unexpected(uv0.error());
  p.uv0 = as_vectors<glm::vec2>(*uv0);
  auto uv1 = read_attribute(doc, r, *attrs, "TEXCOORD_1", {2}, n, where, nullptr);
  if (!uv1) return std::unexpected(uv1.error());
  p.uv1 = as_vectors<glm::vec2>(*uv1);
  int color_components = 4;
  auto col = read_attribute(doc, r, *attrs, "COLOR_0", {3, 4}, n, where, &color_components);
  if (!col) return std::unexpected(col.error());
  if (color_components == 3) {
    for (const glm::vec3& c : as_vectors<glm::vec3>(*col)) p.colors.emplace_back(c, 1.0f);
  } else {
    p.colors = as_vectors<glm::vec4>(*col);
  }

  int indices = r.index(pj, "indices", array_or_empty(doc.json, "accessors").size(), -1, false,
                        where);
  if (r.failed()) return std::unexpected(r.error());
  if (indices >= 0) {
    auto idx = read_indices(doc, indices);
    if (!idx) return std::unexpected(idx.error());
    for (std::uint32_t i : *idx)
      if (i >= n)
        return fail(Errc::GltfInvalid, where + " index " + std::to_string(i) +
                                           " is not below the vertex count " + std::to_string(n));
    p.indices = std::move(*idx);
  }

  if (!p.positions.empty()) {
    p.bounds_min = glm::vec3(std::numeric_limits<float>::max());
    p.bounds_max = glm::vec3(std::numeric_limits<float>::lowest());
    for (const glm::vec3& v : p.positions) {
      p.bounds_min = glm::min(p.bounds_min, v);
      p.bounds_max = glm::max(p.bounds_max, v);
    }
  }
  return p;
}

// Normals (flat) and tangents for triangle primitives that lack them.
void complete_shading_frame(Primitive& p, const Scene& scene) {
  if (!is_triangle_mode(p.mode)) return;
  if (p.normals.empty()) make_flat_normals(p);  // also drops any tangents' indexing
  if (p.tangents.empty() || p.tangents.size() != p.positions.size()) {
    int set = 0;
    if (p.material >= 0) set = scene.materials[static_cast<std::size_t>(p.material)].normal_tex.texcoord;
    const std::vector<glm::vec2>& uv = (set == 1 && !p.uv1.empty()) ? p.uv1 : p.uv0;
    p.tangents = generate_tangents(p.positions, p.normals, uv,
                                   triangle_list(p.mode, p.indices, p.positions.size()));
  }
}

}  // namespace

Result<void> read_meshes(const Document& doc, Scene& scene, const Warnings& warn) {
  const Json& meshes = array_or_empty(doc.json, "meshes");
  for (std::size_t m = 0; m < meshes.size(); ++m) {
    std::string mwhere = "meshes[" + std::to_string(m) + "]";
    JsonReader r;
    Mesh mesh;
    mesh.name = r.string(meshes[m], "name", mwhere);
    const Json* prims = r.array(meshes[m], "primitives", mwhere);
    if (r.failed()) return std::unexpected(r.error());
    if (!prims) return fail(Errc::GltfInvalid, mwhere + " has no primitives");
    for (std::size_t i = 0; i < prims->size(); ++i) {
      std::string where = mwhere + ".primitives[" + std::to_string(i) + "]";
      const Json& pj = (*prims)[i];
      const Json* attrs = pj.is_object() ? r.object(pj, "attributes", where) : nullptr;
      if (attrs && !attrs->contains("POSITION")) {
        warn.add(where + " has no POSITION; skipped as the specification asks");
        continue;
      }
      auto prim = read_primitive(doc, scene, pj, where);
      if (!prim) return std::unexpected(prim.error());
      if (!drawable(*prim)) {
        warn.add(where + " has nothing to draw; skipped");
        continue;
      }
      complete_shading_frame(*prim, scene);
      mesh.primitives.push_back(std::move(*prim));
    }
    scene.meshes.push_back(std::move(mesh));
  }
  return {};
}

}  // namespace renderq::gltf
