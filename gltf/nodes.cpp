// Cameras, KHR_lights_punctual lights, and the node hierarchy of the chosen
// scene flattened into world-space instances.
#include <glm/gtc/quaternion.hpp>
#include <glm/gtc/type_ptr.hpp>

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

Result<glm::mat4> local_matrix(JsonReader& r, const Json& node, const std::string& where) {
  if (node.contains("matrix")) {
    auto m = r.numbers(node, "matrix", 16, {}, where);
    if (r.failed()) return std::unexpected(r.error());
    float f[16];
    for (int i = 0; i < 16; ++i) f[i] = static_cast<float>(m[static_cast<std::size_t>(i)]);
    return glm::make_mat4(f);  // column-major, as glTF stores it
  }
  auto t = r.numbers(node, "translation", 3, {0, 0, 0}, where);
  auto q = r.numbers(node, "rotation", 4, {0, 0, 0, 1}, where);
  auto s = r.numbers(node, "scale", 3, {1, 1, 1}, where);
  if (r.failed()) return std::unexpected(r.error());
  glm::quat rot(static_cast<float>(q[3]), static_cast<float>(q[0]), static_cast<float>(q[1]),
                static_cast<float>(q[2]));
  float len = glm::length(rot);
  rot = len > 0 ? rot / len : glm::quat(1, 0, 0, 0);
  glm::mat4 m = glm::mat4_cast(rot);
  m[0] *= static_cast<float>(s[0]);
  m[1] *= static_cast<float>(s[1]);
  m[2] *= static_cast<float>(s[2]);
  m[3] = glm::vec4(static_cast<float>(t[0]), static_cast<float>(t[1]), static_cast<float>(t[2]), 1);
  return m;
}

}  // namespace

Result<void> flatten_scene(const Document& doc, int scene_index, Scene& scene) {
  JsonReader r;
  const Json& nodes = array_or_empty(doc.json, "nodes");
  const Json& scenes = array_or_empty(doc.json, "scenes");
  std::vector<int> roots;
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
      roots.push_back(static_cast<int>((*list)[i].get<std::int64_t>()));
    }
  } else {
    // No scenes at all: every node that is nobody's child is a root.
    std::vector<bool> is_child(nodes.size(), false);
    for (const Json& n : nodes) {
      auto it = n.find("children");
      if (it == n.end() || !it->is_array()) continue;
      for (const Json& c : *it)
        if (c.is_number_integer() && c.get<std::int64_t>() >= 0 &&
            static_cast<std::size_t>(c.get<std::int64_t>()) < nodes.size())
          is_child[static_cast<std::size_t>(c.get<std::int64_t>())] = true;
    }
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (!is_child[i]) roots.push_back(static_cast<int>(i));
  }

  // Depth-first without recursion, so a deep hierarchy cannot exhaust the
  // stack; a path longer than the node count means a cycle.
  struct Item { int node; glm::mat4 parent; std::size_t depth; };
  std::vector<Item> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({*it, glm::mat4(1), 0});
  std::size_t visits = 0;
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    if (item.depth > nodes.size() || ++visits > 16 * nodes.size() + 1024)
      return fail(Errc::GltfInvalid, "the node hierarchy has a cycle (or nodes with several parents)");
    const Json& n = nodes[static_cast<std::size_t>(item.node)];
    std::string where = "nodes[" + std::to_string(item.node) + "]";
    auto local = local_matrix(r, n, where);
    if (!local) return std::unexpected(local.error());
    glm::mat4 world = item.parent * *local;
    int mesh = r.index(n, "mesh", scene.meshes.size(), -1, false, where);
    int camera = r.index(n, "camera", scene.cameras.size(), -1, false, where);
    int light = -1;
    if (const Json* ext = r.object(n, "extensions", where))
      if (const Json* kl = r.object(*ext, "KHR_lights_punctual", where))
        light = r.index(*kl, "light", scene.lights.size(), -1, true, where + ".KHR_lights_punctual");
    const Json* children = r.array(n, "children", where);
    if (r.failed()) return std::unexpected(r.error());
    if (mesh >= 0) scene.mesh_instances.push_back({mesh, world});
    if (camera >= 0) scene.camera_instances.push_back({camera, world});
    if (light >= 0) scene.light_instances.push_back({light, world});
    if (!children) continue;
    for (auto it = children->rbegin(); it != children->rend(); ++it) {
      if (!it->is_number_integer() || it->get<std::int64_t>() < 0 ||
          static_cast<std::size_t>(it->get<std::int64_t>()) >= nodes.size())
        return fail(Errc::GltfInvalid, where + ".children holds an invalid node index");
      stack.push_back({static_cast<int>(it->get<std::int64_t>()), world, item.depth + 1});
    }
  }
  return {};
}

}  // namespace renderq::gltf
