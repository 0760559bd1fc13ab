// Posing a loaded Scene: node transforms (from the file, or from an
// animation sampled at a time), morph weights and skins, applied on the CPU.
// The result is what the GL side draws unchanged: world matrices in
// Scene::mesh_instances (EXT_mesh_gpu_instancing expanded into one instance
// each), camera and light instances, and the vertex arrays of deforming
// meshes (Mesh::deforms) rewritten from their rest data: morph targets
// first, then linear blend skinning with JOINTS_0/WEIGHTS_0 (joint world
// matrix x inverse bind matrix), skinned vertices in world space.
//
// Thread-safety: writes the Scene it is given; nothing else.
#pragma once

#include "core/error.hpp"
#include "core/render_spec.hpp"
#include "gltf/scene.hpp"

namespace renderq {

struct PoseRequest {
  int animation = -1;   // -1 = the rest pose
  float time = 0.0f;    // seconds, clamped to the animation's keyframes
  bool update_bounds = true;  // recompute Scene::bounds (false keeps framing steady over frames)
};

// Poses `scene`. Errc::GltfInvalid when the node hierarchy has a cycle;
// Errc::GltfAnimationNotFound for an animation index past the file's.
Result<void> pose_scene(Scene& scene, const PoseRequest& request);

// The pose of frame `index` of `spec`: the rest pose unless the spec names
// an animation, a time or --animate; then the named animation (default the
// first) at spec.time (default its start), or with animate at
// start + index * duration / frames (fps > 0: index / fps). Bounds are
// updated on frame 0 only, so the auto-framed camera stays put over frames.
// Errc::GltfAnimationNotFound when the file has no such animation (or none).
Result<PoseRequest> frame_pose(const Scene& scene, const RenderSpec& spec, int index);

// True when posing can change anything drawn (the file has animations or
// deforming meshes); a static scene needs posing only once, at load.
bool scene_is_posable(const Scene& scene);

}  // namespace renderq
