// glTF animations: reading samplers and channels (a loader stage, see
// parts.hpp) and sampling them at a time, as the specification's
// "Interpolation" appendix says: STEP holds the previous keyframe, LINEAR
// lerps (rotations slerp along the shorter arc, then normalize), CUBICSPLINE
// is the Hermite spline with the in/out tangents scaled by the keyframe
// interval. Times before the first or after the last keyframe clamp.
//
// Thread-safety: pure functions over plain values.
#pragma once

#include <span>
#include <string_view>

#include "core/error.hpp"
#include "gltf/scene.hpp"

namespace renderq {

// Samples `sampler` at time `t` into `out` (sampler.width floats). With
// `rotation` the result is a unit quaternion (x, y, z, w). REQUIRES: a
// sampler the loader accepted (at least one keyframe, matching counts) and
// out.size() == sampler.width.
void sample_animation(const AnimationSampler& sampler, float t, bool rotation, std::span<float> out);

// The index of the animation named `name_or_index` (a name first, then a
// decimal index). Errc::GltfAnimationNotFound when there is none.
Result<int> find_animation(const Scene& scene, std::string_view name_or_index);

}  // namespace renderq
