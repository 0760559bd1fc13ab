#include "gltf/scene_size.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "gltf/accessor.hpp"

namespace renderq::gltf {

namespace {

// The accessor index in member `key` of `obj`, or -1.
int accessor_at(const Document& doc, const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_integer()) return -1;
  const std::int64_t i = it->get<std::int64_t>();
  if (i < 0 || static_cast<std::uint64_t>(i) >= array_or_empty(doc.json, "accessors").size()) return -1;
  return static_cast<int>(i);
}

std::uint64_t accessor_count(const Document& doc, int index) {
  if (index < 0) return 0;
  auto info = accessor_info(doc, index);
  return info ? info->count : 0;
}

const Json* member_object(const Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return (it != obj.end() && it->is_object()) ? &*it : nullptr;
}

const Json* member_array(const Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return (it != obj.end() && it->is_array()) ? &*it : nullptr;
}

bool mesh_has_targets(const Json& mesh) {
  const Json* prims = member_array(mesh, "primitives");
  for (std::size_t i = 0; prims && i < prims->size(); ++i)
    if (const Json* t = member_array((*prims)[i], "targets"); t && !t->empty()) return true;
  return false;
}

}  // namespace

std::uint64_t accessor_values(const Document& doc, int index) {
  if (index < 0) return 0;
  auto info = accessor_info(doc, index);
  return info ? sat_mul(info->count, static_cast<std::uint64_t>(info->components)) : 0;
}

std::uint64_t primitive_bytes(const Document& doc, const Json& pj) {
  const Json* attrs = member_object(pj, "attributes");
  if (!attrs) return 0;
  const std::uint64_t n = accessor_count(doc, accessor_at(doc, *attrs, "POSITION"));
  std::int64_t mode = 4;
  if (auto it = pj.find("mode"); it != pj.end() && it->is_number_integer()) mode = it->get<std::int64_t>();
  const bool triangles = mode >= 4;
  auto has = [&](const char* name) { return accessor_at(doc, *attrs, name) >= 0; };

  // Floats kept per vertex (JOINTS_0 is a uvec4: four 4-byte values too),
  // and those read from accessors.
  std::uint64_t floats = 3, read = 3;                      // positions
  if (has("NORMAL")) read += 3;
  if (has("TANGENT")) read += 4;
  if (has("NORMAL") || triangles) floats += 3;             // read or generated
  if (has("TANGENT") || triangles) floats += 4;
  for (const char* name : {"TEXCOORD_0", "TEXCOORD_1"}) {
    floats += has(name) ? 2 : 0;
    read += has(name) ? 2 : 0;
  }
  for (const char* name : {"COLOR_0", "JOINTS_0", "WEIGHTS_0"}) {
    floats += has(name) ? 4 : 0;
    read += has(name) ? 4 : 0;
  }
  bool deforms = has("JOINTS_0");
  if (const Json* targets = member_array(pj, "targets")) {
    for (const Json& t : *targets) {
      if (!t.is_object()) continue;
      deforms = true;
      for (const char* name : {"POSITION", "NORMAL", "TANGENT"}) {
        floats += accessor_at(doc, t, name) >= 0 ? 3 : 0;
        read += accessor_at(doc, t, name) >= 0 ? 3 : 0;
      }
    }
  }
  if (deforms) floats += 10;  // rest positions, normals, tangents

  const int indices = accessor_at(doc, pj, "indices");
  const std::uint64_t m = accessor_count(doc, indices);
  const std::uint64_t k = indices >= 0 ? m : n;  // vertices as drawn
  std::uint64_t corners = k;
  if (mode == 5 || mode == 6) corners = k >= 2 ? sat_mul(k - 2, 3) : 0;
  // Flat normals de-index an indexed primitive: one vertex per corner.
  const bool flat = triangles && !has("NORMAL");
  const std::uint64_t n_kept = flat && indices >= 0 ? std::max(n, corners) : n;

  // What stays: the vertex arrays and the indices.
  const std::uint64_t kept = sat_add(sat_mul(sat_mul(n_kept, floats), 4), sat_mul(m, 4));
  // Reading: each attribute as floats and as vectors, both alive until the
  // primitive is built.
  const std::uint64_t reading = sat_add(sat_mul(sat_mul(n, read), 8), sat_mul(m, 8));
  // Completing: what stays, the indexed arrays while they are de-indexed,
  // and tangent generation's triangle list and per-vertex sums.
  std::uint64_t completing = sat_add(kept, sat_add(sat_mul(corners, 4), sat_mul(n_kept, 28)));
  if (flat && indices >= 0) completing = sat_add(completing, sat_mul(sat_mul(n, floats), 4));
  std::uint64_t bytes = std::max(reading, completing);
  // Draco decodes into its own mesh first, then into floats.
  if (const Json* ext = member_object(pj, "extensions"); ext && member_object(*ext, "KHR_draco_mesh_compression"))
    bytes = sat_add(bytes, sat_mul(sat_add(sat_mul(n, read), m), 8));
  return bytes;
}

Result<void> charge_geometry(const Document& doc, BudgetLease& lease) {
  const Json& meshes = array_or_empty(doc.json, "meshes");
  const Json& nodes = array_or_empty(doc.json, "nodes");

  // A deforming mesh is copied for every node that draws it.
  std::vector<std::uint64_t> users(meshes.size(), 0);
  std::vector<bool> skinned(meshes.size(), false);
  for (const Json& node : nodes) {
    if (!node.is_object()) continue;
    auto it = node.find("mesh");
    if (it == node.end() || !it->is_number_integer()) continue;
    const std::int64_t mi = it->get<std::int64_t>();
    if (mi < 0 || static_cast<std::uint64_t>(mi) >= meshes.size()) continue;
    ++users[static_cast<std::size_t>(mi)];
    if (node.contains("skin")) skinned[static_cast<std::size_t>(mi)] = true;
  }
  for (std::size_t mi = 0; mi < meshes.size(); ++mi) {
    std::uint64_t bytes = 0, vertices = 0;
    const Json* prims = member_array(meshes[mi], "primitives");
    for (std::size_t p = 0; prims && p < prims->size(); ++p) {
      bytes = sat_add(bytes, primitive_bytes(doc, (*prims)[p]));
      if (const Json* attrs = member_object((*prims)[p], "attributes"))
        vertices = sat_add(vertices, accessor_count(doc, accessor_at(doc, *attrs, "POSITION")));
    }
    const bool deforms = skinned[mi] || mesh_has_targets(meshes[mi]);
    const std::uint64_t copies = deforms ? std::max<std::uint64_t>(users[mi], 1) : 1;
    std::string what = "meshes[" + std::to_string(mi) + "] (" + std::to_string(vertices) + " vertices" +
                       (copies > 1 ? ", " + std::to_string(copies) + " deforming copies" : std::string()) + ")";
    if (auto ok = lease.charge(sat_mul(bytes, copies), what); !ok) return ok;
  }

  // Instancing: each instance is a matrix read from three accessors, then a
  // mesh instance with its world matrix.
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Json* ext = member_object(nodes[i], "extensions");
    const Json* inst = ext ? member_object(*ext, "EXT_mesh_gpu_instancing") : nullptr;
    const Json* attrs = inst ? member_object(*inst, "attributes") : nullptr;
    if (!attrs) continue;
    std::uint64_t count = 0, values = 0;
    for (const char* name : {"TRANSLATION", "ROTATION", "SCALE"}) {
      const int a = accessor_at(doc, *attrs, name);
      count = std::max(count, accessor_count(doc, a));
      values = sat_add(values, accessor_values(doc, a));
    }
    std::string what = "nodes[" + std::to_string(i) + "] (" + std::to_string(count) + " instances)";
    if (auto ok = lease.charge(sat_add(sat_mul(count, 64 + 80), sat_mul(values, 8)), what); !ok) return ok;
  }

  for (std::size_t s = 0; const Json& skin : array_or_empty(doc.json, "skins")) {
    if (skin.is_object()) {
      std::string what = "skins[" + std::to_string(s) + "]";
      if (auto ok = lease.charge(sat_mul(accessor_values(doc, accessor_at(doc, skin, "inverseBindMatrices")), 8), what); !ok)
        return ok;
    }
    ++s;
  }

  const Json& animations = array_or_empty(doc.json, "animations");
  for (std::size_t a = 0; a < animations.size(); ++a) {
    const Json* samplers = member_array(animations[a], "samplers");
    std::uint64_t values = 0;
    for (std::size_t k = 0; samplers && k < samplers->size(); ++k) {
      if (!(*samplers)[k].is_object()) continue;
      values = sat_add(values, accessor_values(doc, accessor_at(doc, (*samplers)[k], "input")));
      values = sat_add(values, accessor_values(doc, accessor_at(doc, (*samplers)[k], "output")));
    }
    std::string what = "animations[" + std::to_string(a) + "]";
    if (auto ok = lease.charge(sat_mul(values, 8), what); !ok) return ok;  // read as floats, then kept
  }
  return {};
}

}  // namespace renderq::gltf
