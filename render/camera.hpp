// Camera: where the image is seen from. Either the orbit camera (auto-framed
// from the scene's bounds, with --yaw/--pitch/--distance/--target/--fov
// overrides and turntable frames) or a camera of the glTF file.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <glm/glm.hpp>

#include "core/error.hpp"
#include "core/render_spec.hpp"
#include "gltf/scene.hpp"

namespace renderq {

// The default orbit: a three-quarter view from the front right, a little above.
inline constexpr double kDefaultYawDeg = 30.0;
inline constexpr double kDefaultPitchDeg = 20.0;
inline constexpr double kDefaultFovDeg = 45.0;
// Auto-framing fits the bounding sphere into the narrower field of view with
// this much air around it.
inline constexpr double kFramingMargin = 1.05;

struct View {
  glm::mat4 view{1.0f};
  glm::mat4 proj{1.0f};
  glm::vec3 position{0.0f};
  glm::vec3 forward{0.0f, 0.0f, -1.0f};
  bool orthographic = false;
};

// The orbit camera of `spec` with every field set: the values auto-framing
// would choose for an image of this aspect (width / height) wherever spec
// leaves one unset. Rendering with the result gives the same image as with
// spec, so a tool can print exact options for what it shows (the preview).
OrbitCamera resolve_orbit(const Scene& scene, const RenderSpec& spec, float aspect);

// The view for frame `frame` of `spec` at `width` x `height`.
// Errc::CameraNotFound when spec.camera names no camera placed in the scene;
// Errc::InvalidArgument for --turntable with a file camera.
Result<View> make_view(const Scene& scene, const RenderSpec& spec, int frame, int width, int height);

}  // namespace renderq
