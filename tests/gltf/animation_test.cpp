// Animation sampling against hand-computed values (STEP, LINEAR, slerp,
// CUBICSPLINE with tangents scaled by the keyframe interval), and
// InterpolationTest posed at and between its keyframes.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "gltf/animation.hpp"
#include "gltf/pose.hpp"
#include "gltf/scene.hpp"
#include "test_support.hpp"

using gltf_test::load_ok;
using renderq::AnimationSampler;
using renderq::Errc;
using renderq::Interpolation;
using renderq::Scene;

namespace {

AnimationSampler sampler(Interpolation i, std::vector<float> in, std::vector<float> out, std::size_t width) {
  AnimationSampler s;
  s.interpolation = i;
  s.input = std::move(in);
  s.output = std::move(out);
  s.width = width;
  return s;
}

float at(const AnimationSampler& s, float t) {
  float v = 0;
  renderq::sample_animation(s, t, false, std::span<float>(&v, 1));
  return v;
}


// The world matrix of the (first) instance drawn by node `node`.
glm::mat4 world_of(const Scene& s, int node) {
  for (const auto& inst : s.mesh_instances)
    if (inst.node == node) return inst.world;
  FAIL("node " << node << " has no mesh instance");
  return glm::mat4(1.0f);
}

void pose(Scene& s, const std::string& animation, float t) {
  auto index = renderq::find_animation(s, animation);
  REQUIRE(index.has_value());
  REQUIRE(renderq::pose_scene(s, {.animation = *index, .time = t}).has_value());
}

}  // namespace

TEST_CASE("STEP holds the previous keyframe, clamped at both ends", "[animation]") {
  auto s = sampler(Interpolation::Step, {0, 1, 2}, {0, 10, 20}, 1);
  CHECK(at(s, -1.0f) == 0.0f);
  CHECK(at(s, 0.5f) == 0.0f);
  CHECK(at(s, 1.0f) == 10.0f);
  CHECK(at(s, 1.99f) == 10.0f);
  CHECK(at(s, 2.0f) == 20.0f);
  CHECK(at(s, 7.0f) == 20.0f);
}

TEST_CASE("LINEAR interpolates between keyframes", "[animation]") {
  auto s = sampler(Interpolation::Linear, {0, 1, 3}, {0, 10, 30}, 1);
  CHECK(at(s, 0.5f) == Approx(5.0f));
  CHECK(at(s, 1.0f) == Approx(10.0f));
  CHECK(at(s, 2.0f) == Approx(20.0f));
  CHECK(at(s, 9.0f) == Approx(30.0f));
}

TEST_CASE("LINEAR rotations slerp along the shorter arc and stay unit", "[animation]") {
  // Identity to 90 degrees about Z, the second written with the opposite sign.
  float h = std::sqrt(0.5f);
  auto s = sampler(Interpolation::Linear, {0, 1}, {0, 0, 0, 1, 0, 0, -h, -h}, 4);
  float q[4];
  renderq::sample_animation(s, 0.5f, true, q);
  // 45 degrees about +Z: (0, 0, sin 22.5, cos 22.5).
  CHECK(q[0] == Approx(0.0f).margin(1e-6));
  CHECK(q[1] == Approx(0.0f).margin(1e-6));
  CHECK(q[2] == Approx(0.3826834f).margin(1e-5));
  CHECK(q[3] == Approx(0.9238795f).margin(1e-5));
}

TEST_CASE("CUBICSPLINE scales the tangents by the keyframe interval", "[animation]") {
  // Keyframes at 0 and 2: value 0 with out-tangent 1, value 4 with in-tangent 3.
  // At u = 0.5 (t = 1): 0.5*0 + 2*0.125*1 + 0.5*4 + 2*(-0.125)*3 = 1.5.
  auto s = sampler(Interpolation::CubicSpline, {0, 2}, {9, 0, 1, 3, 4, 9}, 1);
  CHECK(at(s, 1.0f) == Approx(1.5f));
  // At u = 0.25 (t = 0.5): h00 = 0.84375, h10 = 0.140625, h01 = 0.15625, h11 = -0.046875:
  // 2*0.140625*1 + 0.15625*4 + 2*(-0.046875)*3 = 0.625.
  CHECK(at(s, 0.5f) == Approx(0.625f));
  CHECK(at(s, 0.0f) == 0.0f);  // the value, never a tangent
  CHECK(at(s, 2.0f) == 4.0f);
}

TEST_CASE("animations are found by name or index", "[animation]") {
  Scene s = load_ok("InterpolationTest/glTF-Binary/InterpolationTest.glb");
  REQUIRE(s.animations.size() == 9);
  CHECK(renderq::find_animation(s, "Linear Translation").value() == 8);
  CHECK(renderq::find_animation(s, "3").value() == 3);
  CHECK(renderq::find_animation(s, "9").error().code == Errc::GltfAnimationNotFound);
  CHECK(renderq::find_animation(s, "Bounce").error().code == Errc::GltfAnimationNotFound);
  CHECK(renderq::find_animation(s, "").error().code == Errc::GltfAnimationNotFound);
}

TEST_CASE("InterpolationTest: a pose at a keyframe time is the keyframe's value", "[animation]") {
  Scene s = load_ok("InterpolationTest/glTF-Binary/InterpolationTest.glb");
  // Node 10 ("Linear Translation"): keyframes at 5/12 s (y 10) and 10/12 s (y 6).
  pose(s, "Linear Translation", 0.4166666567325592f);
  CHECK(world_of(s, 10)[3].y == Approx(10.0f));
  pose(s, "Linear Translation", 0.8333333134651184f);
  CHECK(world_of(s, 10)[3].y == Approx(6.0f));
  CHECK(world_of(s, 10)[3].x == Approx(-3.2975807f));
  // Half-way and a quarter of the way: lerp.
  pose(s, "Linear Translation", 0.625f);
  CHECK(world_of(s, 10)[3].y == Approx(8.0f));
  pose(s, "Linear Translation", 0.5208333f);
  CHECK(world_of(s, 10)[3].y == Approx(9.0f).epsilon(1e-4));

  // Node 8 ("Step Translation"): y 10 from 0.4583 s until 0.8333 s.
  pose(s, "Step Translation", 0.46f);
  CHECK(world_of(s, 8)[3].y == 10.0f);
  pose(s, "Step Translation", 0.83f);
  CHECK(world_of(s, 8)[3].y == 10.0f);
  pose(s, "Step Translation", 0.84f);
  CHECK(world_of(s, 8)[3].y == 6.0f);

  // Node 9 ("CubicSpline Translation"), zero tangents: smoothstep between 10 and 6.
  pose(s, "CubicSpline Translation", 0.4166666567325592f);
  CHECK(world_of(s, 9)[3].y == Approx(10.0f));
  pose(s, "CubicSpline Translation", 0.625f);
  CHECK(world_of(s, 9)[3].y == Approx(8.0f));
  pose(s, "CubicSpline Translation", 0.5208333f);  // u = 0.25: 10*0.84375 + 6*0.15625
  CHECK(world_of(s, 9)[3].y == Approx(9.375f).epsilon(1e-4));

  // Node 7 ("Linear Rotation"): -45 to -90 degrees about Z; half-way is -67.5.
  pose(s, "Linear Rotation", 0.4166666567325592f);
  glm::mat4 m = world_of(s, 7);
  CHECK(m[0].x == Approx(std::cos(glm::radians(-45.0f))).margin(1e-5));
  CHECK(m[0].y == Approx(std::sin(glm::radians(-45.0f))).margin(1e-5));
  pose(s, "Linear Rotation", (0.4166666567325592f + 0.875f) / 2);
  m = world_of(s, 7);
  CHECK(m[0].x == Approx(std::cos(glm::radians(-67.5f))).margin(1e-5));
  CHECK(m[0].y == Approx(std::sin(glm::radians(-67.5f))).margin(1e-5));
  CHECK(glm::length(glm::vec3(m[0])) == Approx(1.0f).margin(1e-5));
}

TEST_CASE("the rest pose returns after an animated one", "[animation]") {
  Scene s = load_ok("InterpolationTest/glTF-Binary/InterpolationTest.glb");
  pose(s, "Linear Translation", 0.4166666567325592f);
  REQUIRE(renderq::pose_scene(s, {}).has_value());
  CHECK(world_of(s, 10)[3].y == Approx(6.958913326263428f));  // the node's own translation
}

TEST_CASE("frame times: the spec's time, spread frames, or fps", "[animation]") {
  Scene s = load_ok("InterpolationTest/glTF-Binary/InterpolationTest.glb");
  renderq::RenderSpec spec;
  auto rest = renderq::frame_pose(s, spec, 0);
  REQUIRE(rest);
  CHECK(rest->animation == -1);
  spec.animation = "Step Translation";
  spec.time = 1.0;
  CHECK(renderq::frame_pose(s, spec, 0)->animation == 6);
  CHECK(renderq::frame_pose(s, spec, 0)->time == 1.0f);
  spec.time.reset();
  spec.animate = true;
  spec.frames = 4;  // clip 0 .. 1.7083: frame 2 at half of it
  CHECK(renderq::frame_pose(s, spec, 2)->time == Approx(1.7083333730697632f / 2));
  CHECK(renderq::frame_pose(s, spec, 0)->update_bounds);
  CHECK_FALSE(renderq::frame_pose(s, spec, 2)->update_bounds);
  spec.fps = 24;
  CHECK(renderq::frame_pose(s, spec, 3)->time == Approx(0.125f));
  spec.animation = "nope";
  CHECK(renderq::frame_pose(s, spec, 0).error().code == Errc::GltfAnimationNotFound);
  Scene box = load_ok("Box/glTF-Binary/Box.glb");
  spec.animation.clear();
  CHECK(renderq::frame_pose(box, spec, 0).error().code == Errc::GltfAnimationNotFound);
}
