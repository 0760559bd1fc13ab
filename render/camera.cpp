#include "render/camera.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include <glm/gtc/matrix_transform.hpp>

namespace renderq {
namespace {

struct Bounds {
  glm::vec3 center;
  float radius;
};

Bounds scene_bounds(const Scene& scene) {
  glm::vec3 lo = scene.bounds_min, hi = scene.bounds_max;
  float radius = 0.5f * glm::length(hi - lo);
  if (!(radius > 1e-12f) || !std::isfinite(radius)) radius = 1.0f;
  return {(lo + hi) * 0.5f, radius};
}

Result<View> orbit_view(const Scene& scene, const RenderSpec& spec, int frame, float aspect) {
  const OrbitCamera o = resolve_orbit(scene, spec, aspect);
  const Bounds b = scene_bounds(scene);
  glm::vec3 target(static_cast<float>((*o.target)[0]), static_cast<float>((*o.target)[1]),
                   static_cast<float>((*o.target)[2]));
  double fovy = glm::radians(*o.fov_deg);
  double distance = *o.distance;
  double yaw = *o.yaw_deg;
  if (spec.turntable && spec.frames > 0) yaw += 360.0 * frame / spec.frames;
  double pitch = *o.pitch_deg;
  double cy = std::cos(glm::radians(yaw)), sy = std::sin(glm::radians(yaw));
  double cp = std::cos(glm::radians(pitch)), sp = std::sin(glm::radians(pitch));
  glm::vec3 dir(static_cast<float>(sy * cp), static_cast<float>(sp), static_cast<float>(cy * cp));
  View v;
  v.position = target + dir * static_cast<float>(distance);
  v.forward = -dir;
  v.view = glm::lookAt(v.position, target, glm::vec3(0, 1, 0));
  // Depth range around the part of the scene in front of the camera.
  float reach = glm::length(b.center - target) + b.radius * 1.01f;
  float d = static_cast<float>(distance);
  float z_near = std::max(d - reach, d * 1e-3f);
  float z_far = std::max(d + reach, z_near * 2.0f);
  v.proj = glm::perspective(static_cast<float>(fovy), aspect, z_near, z_far);
  return v;
}

Result<View> file_view(const Scene& scene, const RenderSpec& spec, float aspect) {
  int index = -1;
  const std::string& want = spec.camera;
  int parsed = -1;
  auto [end, ec] = std::from_chars(want.data(), want.data() + want.size(), parsed);
  if (ec == std::errc() && end == want.data() + want.size()) {
    index = parsed;
  } else {
    for (std::size_t i = 0; i < scene.cameras.size(); ++i)
      if (scene.cameras[i].name == want) index = static_cast<int>(i);
  }
  if (index < 0 || index >= static_cast<int>(scene.cameras.size()))
    return fail(Errc::CameraNotFound, "no camera '" + want + "' in the file (" + std::to_string(scene.cameras.size()) +
                                          " camera(s))");
  const CameraInstance* inst = nullptr;
  for (const CameraInstance& ci : scene.camera_instances)
    if (ci.camera == index) {
      inst = &ci;
      break;
    }
  if (inst == nullptr) return fail(Errc::CameraNotFound, "camera '" + want + "' is not placed in the chosen scene");
  const Camera& cam = scene.cameras[static_cast<std::size_t>(index)];
  // The node's rotation and translation; scale would skew the view.
  glm::mat4 rigid(1.0f);
  for (int c = 0; c < 3; ++c) rigid[c] = glm::vec4(glm::normalize(glm::vec3(inst->world[c])), 0.0f);
  rigid[3] = inst->world[3];
  View v;
  v.view = glm::inverse(rigid);
  v.position = glm::vec3(rigid[3]);
  v.forward = -glm::vec3(rigid[2]);
  float z_near = cam.znear > 0 ? cam.znear : 0.01f;
  if (cam.orthographic) {
    v.orthographic = true;
    float ymag = cam.ymag != 0 ? std::abs(cam.ymag) : 1.0f;
    float z_far = cam.zfar > z_near ? cam.zfar : z_near * 1e4f;
    v.proj = glm::ortho(-ymag * aspect, ymag * aspect, -ymag, ymag, cam.znear, z_far);
  } else if (cam.zfar > z_near) {
    v.proj = glm::perspective(cam.yfov, aspect, z_near, cam.zfar);
  } else {
    v.proj = glm::infinitePerspective(cam.yfov, aspect, z_near);
  }
  return v;
}

}  // namespace

OrbitCamera resolve_orbit(const Scene& scene, const RenderSpec& spec, float aspect) {
  const OrbitCamera& o = spec.orbit;
  const Bounds b = scene_bounds(scene);
  OrbitCamera r;
  r.target = o.target ? *o.target : std::array<double, 3>{b.center.x, b.center.y, b.center.z};
  r.fov_deg = o.fov_deg.value_or(kDefaultFovDeg);
  double fovy = glm::radians(*r.fov_deg);
  double fovx = 2.0 * std::atan(std::tan(fovy / 2.0) * aspect);
  double half = std::min(fovy, fovx) / 2.0;
  // The bounding sphere seen from `distance` subtends exactly `half`.
  r.distance = o.distance.value_or(b.radius * kFramingMargin / std::sin(half));
  r.yaw_deg = o.yaw_deg.value_or(kDefaultYawDeg);
  r.pitch_deg = std::clamp(o.pitch_deg.value_or(kDefaultPitchDeg), -89.9, 89.9);
  return r;
}

Result<View> make_view(const Scene& scene, const RenderSpec& spec, int frame, int width, int height) {
  float aspect = static_cast<float>(width) / static_cast<float>(std::max(height, 1));
  if (spec.camera.empty()) return orbit_view(scene, spec, frame, aspect);
  if (spec.turntable) return fail(Errc::InvalidArgument, "--turntable orbits the default camera; drop --camera");
  return file_view(scene, spec, aspect);
}

}  // namespace renderq
