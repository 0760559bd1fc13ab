// Meshes and primitives of a glTF file, resolved into plain vertex arrays.
#include <cmath>
#include <limits>
#include <optional>

#include "gltf/accessor.hpp"
#include "gltf/draco.hpp"
#include "gltf/parts.hpp"
#include "gltf/tangents.hpp"

namespace renderq::gltf {

namespace {

// Where a primitive's attributes come from: its accessors, or for the
// semantics a KHR_draco_mesh_compression extension lists, the decoded mesh.
struct AttributeSource {
  const Document& doc;
  const DracoPrimitive* draco = nullptr;
};

// Reads attribute `name` of `attrs` (if present) with one of the allowed
// component counts, checking that it has `expected_count` elements (0 = any).
Result<std::vector<float>> read_attribute(const AttributeSource& src, JsonReader& r, const Json& attrs,
                                          const char* name, std::initializer_list<int> sizes,
                                          std::size_t expected_count, const std::string& where,
                                          int* components) {
  const Document& doc = src.doc;
  std::size_t naccessors = array_or_empty(doc.json, "accessors").size();
  int index = r.index(attrs, name, naccessors, -1, false, where + ".attributes");
  if (r.failed()) return std::unexpected(r.error());
  if (index < 0) return std::vector<float>{};
  const DracoAttribute* packed = nullptr;
  if (src.draco)
    if (auto it = src.draco->attributes.find(name); it != src.draco->attributes.end()) packed = &it->second;
  int have_components = 0;
  std::size_t have_count = 0;
  if (packed) {
    have_components = packed->components;
    have_count = src.draco->vertex_count;
  } else {
    auto info = accessor_info(doc, index);
    if (!info) return std::unexpected(info.error());
    have_components = info->components;
    have_count = info->count;
  }
  bool size_ok = false;
  for (int s : sizes) size_ok = size_ok || have_components == s;
  if (!size_ok)
    return fail(Errc::GltfInvalid, where + " attribute " + name + " has " +
                                       std::to_string(have_components) + " components");
  if (expected_count && have_count != expected_count)
    return fail(Errc::GltfInvalid, where + " attribute " + name + " has " +
                                       std::to_string(have_count) + " elements, POSITION has " +
                                       std::to_string(expected_count));
  if (components) *components = have_components;
  if (packed) return packed->values;
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

// Morph targets: POSITION, NORMAL and TANGENT deltas, each with the
// primitive's vertex count (always ordinary accessors, also under Draco).
Result<std::vector<MorphTarget>> read_targets(const AttributeSource& src, JsonReader& r, const Json& pj,
                                              std::size_t n, const std::string& where) {
  std::vector<MorphTarget> out;
  const Json* targets = r.array(pj, "targets", where);
  if (r.failed()) return std::unexpected(r.error());
  AttributeSource plain{src.doc, nullptr};
  for (std::size_t t = 0; targets && t < targets->size(); ++t) {
    std::string tw = where + ".targets[" + std::to_string(t) + "]";
    if (!(*targets)[t].is_object()) return fail(Errc::GltfInvalid, tw + " is not an object");
    MorphTarget target;
    const char* names[3] = {"POSITION", "NORMAL", "TANGENT"};
    std::vector<glm::vec3>* dst[3] = {&target.positions, &target.normals, &target.tangents};
    for (int a = 0; a < 3; ++a) {
      auto f = read_attribute(plain, r, (*targets)[t], names[a], {3}, n, tw, nullptr);
      if (!f) return std::unexpected(f.error());
      for (float v : *f)
        if (!std::isfinite(v)) return fail(Errc::GltfInvalid, tw + " has a NaN or infinite " + names[a]);
      *dst[a] = as_vectors<glm::vec3>(*f);
    }
    out.push_back(std::move(target));
  }
  return out;
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

  std::optional<DracoPrimitive> draco;
  const Json* ext = r.object(pj, "extensions", where);
  const Json* draco_ext = ext ? r.object(*ext, "KHR_draco_mesh_compression", where + ".extensions") : nullptr;
  if (r.failed()) return std::unexpected(r.error());
  if (draco_ext) {
    if (p.mode != PrimitiveMode::Triangles)
      return fail(Errc::GltfInvalid, where + ": a Draco-compressed primitive must be triangles");
    auto d = decode_draco(doc, *draco_ext, where);
    if (!d) return std::unexpected(d.error());
    // The budget was charged from the accessors' counts, which are the
    // decoded sizes: a stream that decodes to more vertices is refused.
    int pos = r.index(*attrs, "POSITION", array_or_empty(doc.json, "accessors").size(), -1, false, where);
    if (r.failed()) return std::unexpected(r.error());
    if (pos >= 0) {
      auto info = accessor_info(doc, pos);
      if (!info) return std::unexpected(info.error());
      if (d->vertex_count > info->count)
        return fail(Errc::GltfInvalid, where + ": the Draco stream decodes to " + std::to_string(d->vertex_count) +
                                           " vertices, its POSITION accessor says " + std::to_string(info->count));
    }
    draco = std::move(*d);
  }
  AttributeSource src{doc, draco ? &*draco : nullptr};

  auto pos = read_attribute(src, r, *attrs, "POSITION", {3}, 0, where, nullptr);
  if (!pos) return std::unexpected(pos.error());
  for (float f : *pos)
    if (!std::isfinite(f))
      return fail(Errc::GltfInvalid, where + " has a NaN or infinite POSITION");
  p.positions = as_vectors<glm::vec3>(*pos);
  std::size_t n = p.positions.size();

  auto nrm = read_attribute(src, r, *attrs, "NORMAL", {3}, n, where, nullptr);
  if (!nrm) return std::unexpected(nrm.error());
  p.normals = as_vectors<glm::vec3>(*nrm);
  // Quantized and sloppy exporters give normals slightly off unit length.
  for (glm::vec3& v : p.normals) {
    float len = glm::length(v);
    v = (len > 0 && std::isfinite(len)) ? v / len : glm::vec3(0, 0, 1);
  }
  auto tan = read_attribute(src, r, *attrs, "TANGENT", {4}, n, where, nullptr);
  if (!tan) return std::unexpected(tan.error());
  p.tangents = as_vectors<glm::vec4>(*tan);
  auto uv0 = read_attribute(src, r, *attrs, "TEXCOORD_0", {2}, n, where, nullptr);
  if (!uv0) return std::unexpected(uv0.error());
  p.uv0 = as_vectors<glm::vec2>(*uv0);
  auto uv1 = read_attribute(src, r, *attrs, "TEXCOORD_1", {2}, n, where, nullptr);
  if (!uv1) return std::unexpected(uv1.error());
  p.uv1 = as_vectors<glm::vec2>(*uv1);
  int color_components = 4;
  auto col = read_attribute(src, r, *attrs, "COLOR_0", {3, 4}, n, where, &color_components);
  if (!col) return std::unexpected(col.error());
  if (color_components == 3) {
    for (const glm::vec3& c : as_vectors<glm::vec3>(*col)) p.colors.emplace_back(c, 1.0f);
  } else {
    p.colors = as_vectors<glm::vec4>(*col);
  }

  auto joints = read_attribute(src, r, *attrs, "JOINTS_0", {4}, n, where, nullptr);
  if (!joints) return std::unexpected(joints.error());
  auto weights = read_attribute(src, r, *attrs, "WEIGHTS_0", {4}, n, where, nullptr);
  if (!weights) return std::unexpected(weights.error());
  if (joints->empty() != weights->empty())
    return fail(Errc::GltfInvalid, where + " has JOINTS_0 without WEIGHTS_0 or the reverse");
  for (const glm::vec4& j : as_vectors<glm::vec4>(*joints)) {
    if (!(glm::all(glm::greaterThanEqual(j, glm::vec4(0))) && glm::all(glm::lessThan(j, glm::vec4(65536)))))
      return fail(Errc::GltfInvalid, where + " has a JOINTS_0 value that is not a joint index");
    p.joints.emplace_back(j);
  }
  p.weights = as_vectors<glm::vec4>(*weights);
  for (const glm::vec4& wt : p.weights)
    if (!(std::isfinite(wt.x) && std::isfinite(wt.y) && std::isfinite(wt.z) && std::isfinite(wt.w)))
      return fail(Errc::GltfInvalid, where + " has a NaN or infinite WEIGHTS_0");

  auto targets = read_targets(src, r, pj, n, where);
  if (!targets) return std::unexpected(targets.error());
  p.targets = std::move(*targets);

  int indices = r.index(pj, "indices", array_or_empty(doc.json, "accessors").size(), -1, false,
                        where);
  if (r.failed()) return std::unexpected(r.error());
  if (draco || indices >= 0) {
    auto idx = draco ? Result<std::vector<std::uint32_t>>(std::move(draco->indices)) : read_indices(doc, indices);
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
  if (p.normals.empty()) {
    make_flat_normals(p);  // also drops any tangents' indexing
    p.flat_normals = true;
  }
  if (p.tangents.empty() || p.tangents.size() != p.positions.size()) {
    p.generated_tangents = true;
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
      if (!mesh.primitives.empty() && prim->targets.size() != mesh.primitives[0].targets.size())
        return fail(Errc::GltfInvalid, where + " has " + std::to_string(prim->targets.size()) +
                                           " morph targets, the mesh's first primitive has " +
                                           std::to_string(mesh.primitives[0].targets.size()));
      mesh.primitives.push_back(std::move(*prim));
    }
    std::size_t ntargets = mesh.primitives.empty() ? 0 : mesh.primitives[0].targets.size();
    auto weights = r.numbers(meshes[m], "weights", ntargets, std::vector<double>(ntargets, 0.0), mwhere);
    if (r.failed()) return std::unexpected(r.error());
    for (double w : weights) {
      if (!std::isfinite(w)) return fail(Errc::GltfInvalid, mwhere + ".weights holds a NaN or infinity");
      mesh.weights.push_back(static_cast<float>(w));
    }
    mesh.deforms = ntargets > 0;
    scene.meshes.push_back(std::move(mesh));
  }
  return {};
}

}  // namespace renderq::gltf
