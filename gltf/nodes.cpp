// Cameras, KHR_lights_punctual lights, skins and the nodes of the file
// (EXT_mesh_gpu_instancing included), with the chosen scene's roots.
#include <cmath>

#include <glm/gtc/quaternion.hpp>
#include <glm/gtc/type_ptr.hpp>

#include "gltf/accessor.hpp"
#include "gltf/parts.hpp"

namespace renderq::gltf {

Result<void> read_cameras_and_lights(const Document& doc, Scene& scene) {
  JsonReader r;
  const Json& cameras = array_or_empty(doc.json, "cameras");
  for (std::size_t i = 0; i < cameras.size(); ++i) {
    std::string where = "cameras[" + std::to_string(i) + "]";
    const Json& c = cameras[i];
    Camera cam;
    cam.name = r.string(c, "name", where);
    std::string type = r.string(c, "type", where);
    if (type == "perspective") {
      const Json* p = r.object(c, "perspective", where);
      if (!p && !r.failed()) r.fail(Errc::GltfInvalid, where + " lacks its perspective object");
      if (p) {
        std::string pw = where + ".perspective";
        cam.yfov = static_cast<float>(r.number(*p, "yfov", 0.8, pw));
        cam.aspect = static_cast<float>(r.number(*p, "aspectRatio", 0.0, pw));
        cam.znear = static_cast<float>(r.number(*p, "znear", 0.01, pw));
        cam.zfar = static_cast<float>(r.number(*p, "zfar", 0.0, pw));
      }
    } else if (type == "orthographic") {
      const Json* o = r.object(c, "orthographic", where);
      if (!o && !r.failed()) r.fail(Errc::GltfInvalid, where + " lacks its orthographic object");
      if (o) {
        std::string ow = where + ".orthographic";
        cam.orthographic = true;
        cam.xmag = static_cast<float>(r.number(*o, "xmag", 1.0, ow));
        cam.ymag = static_cast<float>(r.number(*o, "ymag", 1.0, ow));
        cam.znear = static_cast<float>(r.number(*o, "znear", 0.0, ow));
        cam.zfar = static_cast<float>(r.number(*o, "zfar", 100.0, ow));
      }
    } else if (!r.failed()) {
      r.fail(Errc::GltfInvalid, where + ".type '" + type + "' is not perspective or orthographic");
    }
    if (r.failed()) return std::unexpected(r.error());
    if (!(cam.yfov > 0) || cam.znear < 0 || (cam.zfar != 0 && cam.zfar <= cam.znear))
      return fail(Errc::GltfInvalid, where + " has an invalid projection");
    scene.cameras.push_back(cam);
  }

  const Json* ext = r.object(doc.json, "extensions", "glTF");
  const Json* punctual = ext ? r.object(*ext, "KHR_lights_punctual", "extensions") : nullptr;
  const Json* lights = punctual ? r.array(*punctual, "lights", "KHR_lights_punctual") : nullptr;
  if (r.failed()) return std::unexpected(r.error());
  for (std::size_t i = 0; lights && i < lights->size(); ++i) {
    std::string where = "KHR_lights_punctual.lights[" + std::to_string(i) + "]";
    const Json& l = (*lights)[i];
    Light light;
    light.name = r.string(l, "name", where);
    auto col = r.numbers(l, "color", 3, {1, 1, 1}, where);
    if (!r.failed()) light.color = glm::vec3(col[0], col[1], col[2]);
    light.intensity = static_cast<float>(r.number(l, "intensity", 1.0, where));
    light.range = static_cast<float>(r.number(l, "range", 0.0, where));
    std::string type = r.string(l, "type", where);
    if (type == "directional") {
      light.type = LightType::Directional;
    } else if (type == "point") {
      light.type = LightType::Point;
    } else if (type == "spot") {
      light.type = LightType::Spot;
      if (const Json* spot = r.object(l, "spot", where)) {
        light.inner_cone = static_cast<float>(r.number(*spot, "innerConeAngle", 0.0, where));
        light.outer_cone =
            static_cast<float>(r.number(*spot, "outerConeAngle", 0.7853981634, where));
      }
    } else if (!r.failed()) {
      r.fail(Errc::GltfInvalid, where + ".type '" + type + "' is unknown");
    }
    if (r.failed()) return std::unexpected(r.error());
    scene.lights.push_back(light);
  }
  return {};
}

namespace {

// The node's own transform: a matrix, or TRS (rotation normalized).
Result<void> read_transform(JsonReader& r, const Json& node, const std::string& where, Node& out) {
  if (node.contains("matrix")) {
    auto m = r.numbers(node, "matrix", 16, {}, where);
    if (r.failed()) return std::unexpected(r.error());
    float f[16];
    for (int i = 0; i < 16; ++i) f[i] = static_cast<float>(m[static_cast<std::size_t>(i)]);
    out.matrix = glm::make_mat4(f);  // column-major, as glTF stores it
    return {};
  }
  auto t = r.numbers(node, "translation", 3, {0, 0, 0}, where);
  auto q = r.numbers(node, "rotation", 4, {0, 0, 0, 1}, where);
  auto s = r.numbers(node, "scale", 3, {1, 1, 1}, where);
  if (r.failed()) return std::unexpected(r.error());
  glm::quat rot(static_cast<float>(q[3]), static_cast<float>(q[0]), static_cast<float>(q[1]),
                static_cast<float>(q[2]));
  float len = glm::length(rot);
  out.rotation = len > 0 ? rot / len : glm::quat(1, 0, 0, 0);
  out.translation = glm::vec3(static_cast<float>(t[0]), static_cast<float>(t[1]), static_cast<float>(t[2]));
  out.scale = glm::vec3(static_cast<float>(s[0]), static_cast<float>(s[1]), static_cast<float>(s[2]));
  return {};
}

// EXT_mesh_gpu_instancing: per-instance TRANSLATION, ROTATION and SCALE
// accessors of one common count, composed into local matrices.
Result<std::vector<glm::mat4>> read_instances(const Document& doc, JsonReader& r, const Json& ext,
                                              const std::string& where) {
  const Json* attrs = r.object(ext, "attributes", where);
  if (!r.failed() && !attrs) r.fail(Errc::GltfInvalid, where + " has no attributes");
  if (r.failed()) return std::unexpected(r.error());
  std::size_t naccessors = array_or_empty(doc.json, "accessors").size();
  const char* names[3] = {"TRANSLATION", "ROTATION", "SCALE"};
  const int sizes[3] = {3, 4, 3};
  std::vector<float> data[3];
  std::size_t count = 0;
  bool any = false;
  for (int a = 0; a < 3; ++a) {
    int index = r.index(*attrs, names[a], naccessors, -1, false, where + ".attributes");
    if (r.failed()) return std::unexpected(r.error());
    if (index < 0) continue;
    auto info = accessor_info(doc, index);
    if (!info) return std::unexpected(info.error());
    if (info->components != sizes[a])
      return fail(Errc::GltfInvalid, where + " " + names[a] + " has " + std::to_string(info->components) +
                                         " components");
    if (any && info->count != count)
      return fail(Errc::GltfInvalid, where + " attributes disagree on the instance count");
    // Each instance becomes a draw: bound them before reading, as an
    // accessor without a bufferView could ask for millions from a few bytes.
    constexpr std::size_t kMaxInstances = std::size_t{1} << 20;
    if (info->count > kMaxInstances)
      return fail(Errc::GltfInvalid, where + " has " + std::to_string(info->count) + " instances (at most " +
                                         std::to_string(kMaxInstances) + ")");
    count = info->count;
    any = true;
    auto f = read_floats(doc, index);
    if (!f) return std::unexpected(f.error());
    for (float v : *f)
      if (!std::isfinite(v)) return fail(Errc::GltfInvalid, where + " " + names[a] + " holds a NaN or infinity");
    data[a] = std::move(*f);
  }
  if (!any) return fail(Errc::GltfInvalid, where + " has none of TRANSLATION, ROTATION, SCALE");
  std::vector<glm::mat4> out(count, glm::mat4(1.0f));
  for (std::size_t i = 0; i < count; ++i) {
    glm::mat4 m(1.0f);
    if (!data[1].empty()) {
      glm::quat q(data[1][i * 4 + 3], data[1][i * 4], data[1][i * 4 + 1], data[1][i * 4 + 2]);
      float len = glm::length(q);
      m = glm::mat4_cast(len > 0 ? q / len : glm::quat(1, 0, 0, 0));
    }
    if (!data[2].empty())
      for (int c = 0; c < 3; ++c) m[c] *= data[2][i * 3 + static_cast<std::size_t>(c)];
    if (!data[0].empty()) m[3] = glm::vec4(data[0][i * 3], data[0][i * 3 + 1], data[0][i * 3 + 2], 1.0f);
    out[i] = m;
  }
  return out;
}

Result<void> read_skins(const Document& doc, Scene& scene, std::size_t nnodes) {
  JsonReader r;
  const Json& skins = array_or_empty(doc.json, "skins");
  for (std::size_t i = 0; i < skins.size(); ++i) {
    std::string where = "skins[" + std::to_string(i) + "]";
    Skin skin;
    const Json* joints = r.array(skins[i], "joints", where);
    int ibm = r.index(skins[i], "inverseBindMatrices", array_or_empty(doc.json, "accessors").size(), -1,
                      false, where);
    if (!r.failed() && (!joints || joints->empty())) r.fail(Errc::GltfInvalid, where + " has no joints");
    if (r.failed()) return std::unexpected(r.error());
    for (const Json& j : *joints) {
      if (!j.is_number_integer() || j.get<std::int64_t>() < 0 ||
          static_cast<std::size_t>(j.get<std::int64_t>()) >= nnodes)
        return fail(Errc::GltfInvalid, where + ".joints holds an invalid node index");
      skin.joints.push_back(static_cast<int>(j.get<std::int64_t>()));
    }
    skin.inverse_bind.assign(skin.joints.size(), glm::mat4(1.0f));
    if (ibm >= 0) {
      auto info = accessor_info(doc, ibm);
      if (!info) return std::unexpected(info.error());
      if (info->components != 16 || info->count < skin.joints.size())
        return fail(Errc::GltfInvalid, where + ".inverseBindMatrices is not a MAT4 per joint");
      auto f = read_floats(doc, ibm);
      if (!f) return std::unexpected(f.error());
      for (float v : *f)
        if (!std::isfinite(v)) return fail(Errc::GltfInvalid, where + ".inverseBindMatrices holds a NaN");
      for (std::size_t k = 0; k < skin.joints.size(); ++k) skin.inverse_bind[k] = glm::make_mat4(&(*f)[k * 16]);
    }
    scene.skins.push_back(std::move(skin));
  }
  return {};
}

}  // namespace

Result<void> read_nodes(const Document& doc, int scene_index, Scene& scene, const Warnings& warn) {
  JsonReader r;
  const Json& nodes = array_or_empty(doc.json, "nodes");
  const Json& scenes = array_or_empty(doc.json, "scenes");
  if (auto ok = read_skins(doc, scene, nodes.size()); !ok) return std::unexpected(ok.error());

  std::vector<bool> is_child(nodes.size(), false);
  std::vector<int> mesh_users(scene.meshes.size(), 0);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Json& n = nodes[i];
    std::string where = "nodes[" + std::to_string(i) + "]";
    Node node;
    node.name = r.string(n, "name", where);
    if (auto ok = read_transform(r, n, where, node); !ok) return std::unexpected(ok.error());
    node.mesh = r.index(n, "mesh", scene.meshes.size(), -1, false, where);
    node.camera = r.index(n, "camera", scene.cameras.size(), -1, false, where);
    node.skin = r.index(n, "skin", scene.skins.size(), -1, false, where);
    const Json* ext = r.object(n, "extensions", where);
    if (ext)
      if (const Json* kl = r.object(*ext, "KHR_lights_punctual", where))
        node.light = r.index(*kl, "light", scene.lights.size(), -1, true, where + ".KHR_lights_punctual");
    const Json* inst = ext ? r.object(*ext, "EXT_mesh_gpu_instancing", where) : nullptr;
    const Json* children = r.array(n, "children", where);
    if (r.failed()) return std::unexpected(r.error());
    for (std::size_t k = 0; children && k < children->size(); ++k) {
      const Json& c = (*children)[k];
      if (!c.is_number_integer() || c.get<std::int64_t>() < 0 ||
          static_cast<std::size_t>(c.get<std::int64_t>()) >= nodes.size())
        return fail(Errc::GltfInvalid, where + ".children holds an invalid node index");
      node.children.push_back(static_cast<int>(c.get<std::int64_t>()));
      is_child[static_cast<std::size_t>(c.get<std::int64_t>())] = true;
    }
    if (inst && node.mesh >= 0) {
      auto m = read_instances(doc, r, *inst, where + ".extensions.EXT_mesh_gpu_instancing");
      if (!m) return std::unexpected(m.error());
      node.instances = std::move(*m);
    }
    if (node.mesh >= 0) {
      // A deforming mesh drawn by several nodes gets a copy per node: each
      // node poses its own vertices (its weights, its skin).
      bool deforms = node.skin >= 0 || scene.meshes[static_cast<std::size_t>(node.mesh)].deforms;
      if (deforms && mesh_users[static_cast<std::size_t>(node.mesh)]++ > 0) {
        scene.meshes.push_back(scene.meshes[static_cast<std::size_t>(node.mesh)]);
        mesh_users.push_back(1);
        node.mesh = static_cast<int>(scene.meshes.size() - 1);
      }
      Mesh& mesh = scene.meshes[static_cast<std::size_t>(node.mesh)];
      std::size_t ntargets = mesh.weights.size();
      auto w = r.numbers(n, "weights", ntargets, {}, where);
      if (r.failed()) return std::unexpected(r.error());
      if (w.empty()) {
        node.weights = mesh.weights;
      } else {
        for (double x : w) node.weights.push_back(static_cast<float>(x));
      }
      if (node.skin >= 0) {
        mesh.deforms = true;
        std::size_t njoints = scene.skins[static_cast<std::size_t>(node.skin)].joints.size();
        for (const Primitive& p : mesh.primitives)
          for (const glm::uvec4& j : p.joints)
            if (glm::any(glm::greaterThanEqual(j, glm::uvec4(static_cast<unsigned>(njoints)))))
              return fail(Errc::GltfInvalid, where + "'s mesh has a JOINTS_0 index past its skin's " +
                                                 std::to_string(njoints) + " joints");
      }
    } else if (inst) {
      warn.add(where + " has EXT_mesh_gpu_instancing but no mesh; ignored");
    }
    scene.nodes.push_back(std::move(node));
  }

  if (scene_index < 0) scene_index = r.index(doc.json, "scene", scenes.size(), -1, false, "glTF");
  if (r.failed()) return std::unexpected(r.error());
  if (scene_index < 0 && !scenes.empty()) scene_index = 0;
  if (scene_index >= 0) {
    if (static_cast<std::size_t>(scene_index) >= scenes.size())
      return fail(Errc::GltfSceneNotFound, "scene " + std::to_string(scene_index) +
                                               " does not exist (the file has " +
                                               std::to_string(scenes.size()) + ")");
    std::string where = "scenes[" + std::to_string(scene_index) + "]";
    const Json* list = r.array(scenes[static_cast<std::size_t>(scene_index)], "nodes", where);
    if (r.failed()) return std::unexpected(r.error());
    for (std::size_t i = 0; list && i < list->size(); ++i) {
      if (!(*list)[i].is_number_integer() || (*list)[i].get<std::int64_t>() < 0 ||
          static_cast<std::size_t>((*list)[i].get<std::int64_t>()) >= nodes.size())
        return fail(Errc::GltfInvalid, where + ".nodes holds an invalid node index");
      scene.roots.push_back(static_cast<int>((*list)[i].get<std::int64_t>()));
    }
  } else {
    // No scenes at all: every node that is nobody's child is a root.
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (!is_child[i]) scene.roots.push_back(static_cast<int>(i));
  }
  return {};
}

}  // namespace renderq::gltf
