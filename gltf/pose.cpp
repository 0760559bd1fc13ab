#include "gltf/pose.hpp"

#include <algorithm>
#include <limits>

#include <glm/gtc/matrix_inverse.hpp>

#include "gltf/animation.hpp"
#include "gltf/tangents.hpp"

namespace renderq {

namespace {

struct LocalPose {
  glm::vec3 translation;
  glm::quat rotation;
  glm::vec3 scale;
  std::vector<float> weights;
};

glm::mat4 local_matrix(const Node& n, const LocalPose& p) {
  if (n.matrix) return *n.matrix;
  glm::mat4 m = glm::mat4_cast(p.rotation);
  m[0] *= p.scale.x;
  m[1] *= p.scale.y;
  m[2] *= p.scale.z;
  m[3] = glm::vec4(p.translation, 1.0f);
  return m;
}

// Node-local values at rest, then overwritten by the animation's channels.
std::vector<LocalPose> local_poses(const Scene& scene, const PoseRequest& req) {
  std::vector<LocalPose> poses;
  poses.reserve(scene.nodes.size());
  for (const Node& n : scene.nodes) poses.push_back({n.translation, n.rotation, n.scale, n.weights});
  if (req.animation < 0) return poses;
  const Animation& anim = scene.animations[static_cast<std::size_t>(req.animation)];
  float v[4];
  for (const AnimationChannel& ch : anim.channels) {
    const AnimationSampler& s = anim.samplers[static_cast<std::size_t>(ch.sampler)];
    LocalPose& p = poses[static_cast<std::size_t>(ch.node)];
    switch (ch.path) {
      case AnimationPath::Translation:
        sample_animation(s, req.time, false, v);
        p.translation = glm::vec3(v[0], v[1], v[2]);
        break;
      case AnimationPath::Rotation:
        sample_animation(s, req.time, true, v);
        p.rotation = glm::quat(v[3], v[0], v[1], v[2]);
        break;
      case AnimationPath::Scale:
        sample_animation(s, req.time, false, v);
        p.scale = glm::vec3(v[0], v[1], v[2]);
        break;
      case AnimationPath::Weights:
        p.weights.resize(s.width);
        sample_animation(s, req.time, false, p.weights);
        break;
    }
  }
  return poses;
}

// World matrices of every node (parents first from every parentless node,
// so joints outside the chosen scene have one too), and the visit order of
// the chosen scene for the instances. A path longer than the node count
// means a cycle.
struct Visit { int node; glm::mat4 world; };

Result<std::vector<Visit>> walk(const Scene& scene, const std::vector<int>& roots,
                                const std::vector<LocalPose>& poses) {
  const std::size_t n = scene.nodes.size();
  struct Item { int node; glm::mat4 parent; std::size_t depth; };
  std::vector<Item> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.push_back({*it, glm::mat4(1), 0});
  std::vector<Visit> visits;
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    if (item.depth > n || visits.size() > 16 * n + 1024)
      return fail(Errc::GltfInvalid, "the node hierarchy has a cycle (or nodes with several parents)");
    const Node& node = scene.nodes[static_cast<std::size_t>(item.node)];
    glm::mat4 world = item.parent * local_matrix(node, poses[static_cast<std::size_t>(item.node)]);
    visits.push_back({item.node, world});
    for (auto it = node.children.rbegin(); it != node.children.rend(); ++it)
      stack.push_back({*it, world, item.depth + 1});
  }
  return visits;
}

void update_bounds(Primitive& p) {
  if (p.positions.empty()) return;
  p.bounds_min = glm::vec3(std::numeric_limits<float>::max());
  p.bounds_max = glm::vec3(std::numeric_limits<float>::lowest());
  for (const glm::vec3& v : p.positions) {
    p.bounds_min = glm::min(p.bounds_min, v);
    p.bounds_max = glm::max(p.bounds_max, v);
  }
}

// Rest vertices + weighted morph deltas, then skinning; the frame is then
// completed as at load (face normals, generated tangents) where the file
// gave none.
void deform(Primitive& p, const std::vector<float>& weights, const std::vector<glm::mat4>* joint_matrices,
            int tangent_uv_set) {
  if (p.rest_positions.empty()) {
    p.rest_positions = p.positions;
    p.rest_normals = p.normals;
    p.rest_tangents = p.tangents;
  }
  p.positions = p.rest_positions;
  p.normals = p.rest_normals;
  p.tangents = p.rest_tangents;
  for (std::size_t t = 0; t < p.targets.size() && t < weights.size(); ++t) {
    float w = weights[t];
    if (w == 0.0f) continue;
    const MorphTarget& mt = p.targets[t];
    for (std::size_t i = 0; i < mt.positions.size(); ++i) p.positions[i] += w * mt.positions[i];
    if (!p.flat_normals)
      for (std::size_t i = 0; i < mt.normals.size() && i < p.normals.size(); ++i) p.normals[i] += w * mt.normals[i];
    if (!p.generated_tangents)
      for (std::size_t i = 0; i < mt.tangents.size() && i < p.tangents.size(); ++i)
        p.tangents[i] += glm::vec4(w * mt.tangents[i], 0.0f);
  }
  if (joint_matrices && !p.joints.empty()) {
    const std::vector<glm::mat4>& jm = *joint_matrices;
    for (std::size_t i = 0; i < p.positions.size(); ++i) {
      const glm::uvec4& j = p.joints[i];
      const glm::vec4& w = p.weights[i];
      glm::mat4 m = w.x * jm[j.x] + w.y * jm[j.y] + w.z * jm[j.z] + w.w * jm[j.w];
      if (w.x + w.y + w.z + w.w == 0.0f) m = glm::mat4(1.0f);  // unweighted: leave it be
      p.positions[i] = glm::vec3(m * glm::vec4(p.positions[i], 1.0f));
      if (!p.flat_normals && i < p.normals.size()) p.normals[i] = glm::inverseTranspose(glm::mat3(m)) * p.normals[i];
      if (!p.generated_tangents && i < p.tangents.size())
        p.tangents[i] = glm::vec4(glm::mat3(m) * glm::vec3(p.tangents[i]), p.tangents[i].w);
    }
  }
  if (p.flat_normals) {
    set_face_normals(p);
  } else {
    for (glm::vec3& n : p.normals) {
      float len = glm::length(n);
      n = (len > 0 && std::isfinite(len)) ? n / len : glm::vec3(0, 0, 1);
    }
  }
  if (p.generated_tangents && is_triangle_mode(p.mode)) {
    // The normal map's UV set, as the loader chose it.
    const std::vector<glm::vec2>& uv = (tangent_uv_set == 1 && !p.uv1.empty()) ? p.uv1 : p.uv0;
    p.tangents = generate_tangents(p.positions, p.normals, uv, triangle_list(p.mode, p.indices, p.positions.size()));
  } else {
    for (glm::vec4& t : p.tangents) {
      glm::vec3 v(t);
      float len = glm::length(v);
      if (len > 0 && std::isfinite(len)) t = glm::vec4(v / len, t.w);
    }
  }
  update_bounds(p);
}

void compute_world_bounds(Scene& scene) {
  glm::vec3 lo(std::numeric_limits<float>::max()), hi(std::numeric_limits<float>::lowest());
  bool any = false;
  for (const MeshInstance& inst : scene.mesh_instances) {
    for (const Primitive& p : scene.meshes[static_cast<std::size_t>(inst.mesh)].primitives) {
      for (int c = 0; c < 8; ++c) {
        glm::vec3 corner((c & 1) ? p.bounds_max.x : p.bounds_min.x,
                         (c & 2) ? p.bounds_max.y : p.bounds_min.y,
                         (c & 4) ? p.bounds_max.z : p.bounds_min.z);
        glm::vec3 w = glm::vec3(inst.world * glm::vec4(corner, 1.0f));
        lo = glm::min(lo, w);
        hi = glm::max(hi, w);
        any = true;
      }
    }
  }
  scene.bounds_min = any ? lo : glm::vec3(0);
  scene.bounds_max = any ? hi : glm::vec3(0);
}

}  // namespace

Result<PoseRequest> frame_pose(const Scene& scene, const RenderSpec& spec, int index) {
  PoseRequest req;
  req.update_bounds = index == 0;
  if (spec.animation.empty() && !spec.time && !spec.animate) return req;
  if (scene.animations.empty())
    return fail(Errc::GltfAnimationNotFound, "the scene has no animations to pose");
  int anim = 0;
  if (!spec.animation.empty()) {
    auto found = find_animation(scene, spec.animation);
    if (!found) return std::unexpected(found.error());
    anim = *found;
  }
  const Animation& a = scene.animations[static_cast<std::size_t>(anim)];
  req.animation = anim;
  if (!spec.animate) {
    req.time = spec.time ? static_cast<float>(*spec.time) : a.start;
  } else if (spec.fps > 0) {
    req.time = static_cast<float>(index / spec.fps);
  } else {
    req.time = a.start + (a.end - a.start) * static_cast<float>(index) / static_cast<float>(std::max(spec.frames, 1));
  }
  return req;
}

bool scene_is_posable(const Scene& scene) {
  if (!scene.animations.empty()) return true;
  for (const Mesh& m : scene.meshes)
    if (m.deforms) return true;
  return false;
}

Result<void> pose_scene(Scene& scene, const PoseRequest& req) {
  if (req.animation >= static_cast<int>(scene.animations.size()))
    return fail(Errc::GltfAnimationNotFound, "animation " + std::to_string(req.animation) + " does not exist");
  std::vector<LocalPose> poses = local_poses(scene, req);

  // Every node's world matrix, for the joints.
  std::vector<bool> is_child(scene.nodes.size(), false);
  for (const Node& n : scene.nodes)
    for (int c : n.children) is_child[static_cast<std::size_t>(c)] = true;
  std::vector<int> parentless;
  for (std::size_t i = 0; i < scene.nodes.size(); ++i)
    if (!is_child[i]) parentless.push_back(static_cast<int>(i));
  auto all = walk(scene, parentless, poses);
  if (!all) return std::unexpected(all.error());
  std::vector<glm::mat4> world(scene.nodes.size(), glm::mat4(1.0f));
  for (const Visit& v : *all) world[static_cast<std::size_t>(v.node)] = v.world;

  auto visits = walk(scene, scene.roots, poses);
  if (!visits) return std::unexpected(visits.error());
  scene.mesh_instances.clear();
  scene.camera_instances.clear();
  scene.light_instances.clear();
  std::vector<glm::mat4> joint_matrices;
  for (const Visit& v : *visits) {
    const Node& node = scene.nodes[static_cast<std::size_t>(v.node)];
    if (node.camera >= 0) scene.camera_instances.push_back({node.camera, v.world});
    if (node.light >= 0) scene.light_instances.push_back({node.light, v.world});
    if (node.mesh < 0) continue;
    Mesh& mesh = scene.meshes[static_cast<std::size_t>(node.mesh)];
    glm::mat4 base = v.world;
    if (mesh.deforms) {
      const std::vector<glm::mat4>* jm = nullptr;
      if (node.skin >= 0) {
        const Skin& skin = scene.skins[static_cast<std::size_t>(node.skin)];
        joint_matrices.resize(skin.joints.size());
        for (std::size_t j = 0; j < skin.joints.size(); ++j)
          joint_matrices[j] = world[static_cast<std::size_t>(skin.joints[j])] * skin.inverse_bind[j];
        jm = &joint_matrices;
        base = glm::mat4(1.0f);  // skinned vertices are in world space
      }
      for (Primitive& p : mesh.primitives) {
        int set = p.material >= 0 ? scene.materials[static_cast<std::size_t>(p.material)].normal_tex.texcoord : 0;
        deform(p, poses[static_cast<std::size_t>(v.node)].weights, jm, set);
      }
    }
    if (node.instances.empty()) {
      scene.mesh_instances.push_back({node.mesh, base, v.node});
    } else {
      for (const glm::mat4& inst : node.instances) scene.mesh_instances.push_back({node.mesh, base * inst, v.node});
    }
  }
  if (req.update_bounds) compute_world_bounds(scene);
  return {};
}

}  // namespace renderq
