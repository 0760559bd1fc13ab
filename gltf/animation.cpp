#include "gltf/animation.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "gltf/accessor.hpp"
#include "gltf/parts.hpp"

namespace renderq {

namespace {

// One keyframe value (element `k` of a run of `width`-float values).
const float* value_at(const AnimationSampler& s, std::size_t k, std::size_t part) {
  std::size_t per = s.interpolation == Interpolation::CubicSpline ? 3 : 1;
  return s.output.data() + (k * per + part) * s.width;
}

void normalize_quat(std::span<float> q) {
  float len = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  if (len > 0) {
    for (float& v : q) v /= len;
  } else {
    q[0] = q[1] = q[2] = 0;
    q[3] = 1;
  }
}

}  // namespace

void sample_animation(const AnimationSampler& s, float t, bool rotation, std::span<float> out) {
  const std::vector<float>& in = s.input;
  const std::size_t w = s.width;
  std::size_t part = s.interpolation == Interpolation::CubicSpline ? 1 : 0;  // the value, not a tangent
  if (in.size() == 1 || !(t > in.front())) {
    std::copy_n(value_at(s, 0, part), w, out.begin());
    if (rotation) normalize_quat(out);
    return;
  }
  if (t >= in.back()) {
    std::copy_n(value_at(s, in.size() - 1, part), w, out.begin());
    if (rotation) normalize_quat(out);
    return;
  }
  // The last keyframe at or before t: in[k] <= t < in[k + 1].
  std::size_t k = static_cast<std::size_t>(std::upper_bound(in.begin(), in.end(), t) - in.begin()) - 1;
  float td = in[k + 1] - in[k];
  float u = td > 0 ? (t - in[k]) / td : 0.0f;
  switch (s.interpolation) {
    case Interpolation::Step:
      std::copy_n(value_at(s, k, 0), w, out.begin());
      break;
    case Interpolation::Linear: {
      const float* a = value_at(s, k, 0);
      const float* b = value_at(s, k + 1, 0);
      if (rotation) {
        glm::quat qa(a[3], a[0], a[1], a[2]), qb(b[3], b[0], b[1], b[2]);
        if (glm::dot(qa, qb) < 0) qb = -qb;  // the shorter arc
        glm::quat q = glm::slerp(qa, qb, u);
        out[0] = q.x, out[1] = q.y, out[2] = q.z, out[3] = q.w;
      } else {
        for (std::size_t c = 0; c < w; ++c) out[c] = a[c] + (b[c] - a[c]) * u;
      }
      break;
    }
    case Interpolation::CubicSpline: {
      const float* v0 = value_at(s, k, 1);
      const float* b0 = value_at(s, k, 2);      // out-tangent of k
      const float* a1 = value_at(s, k + 1, 0);  // in-tangent of k + 1
      const float* v1 = value_at(s, k + 1, 1);
      float u2 = u * u, u3 = u2 * u;
      float h00 = 2 * u3 - 3 * u2 + 1, h10 = u3 - 2 * u2 + u, h01 = -2 * u3 + 3 * u2, h11 = u3 - u2;
      for (std::size_t c = 0; c < w; ++c)
        out[c] = h00 * v0[c] + td * h10 * b0[c] + h01 * v1[c] + td * h11 * a1[c];
      break;
    }
  }
  if (rotation) normalize_quat(out);
}

Result<int> find_animation(const Scene& scene, std::string_view want) {
  for (std::size_t i = 0; i < scene.animations.size(); ++i)
    if (!want.empty() && scene.animations[i].name == want) return static_cast<int>(i);
  int index = -1;
  auto [end, ec] = std::from_chars(want.data(), want.data() + want.size(), index);
  if (ec == std::errc() && end == want.data() + want.size() && index >= 0 &&
      static_cast<std::size_t>(index) < scene.animations.size())
    return index;
  return fail(Errc::GltfAnimationNotFound, "no animation '" + std::string(want) + "' in the file (it has " +
                                               std::to_string(scene.animations.size()) + ")");
}

namespace gltf {

namespace {

Result<AnimationSampler> read_sampler(const Document& doc, const Json& sj, const std::string& where) {
  JsonReader r;
  std::size_t naccessors = array_or_empty(doc.json, "accessors").size();
  int input = r.index(sj, "input", naccessors, -1, true, where);
  int output = r.index(sj, "output", naccessors, -1, true, where);
  std::string interp = sj.contains("interpolation") ? r.string(sj, "interpolation", where) : "LINEAR";
  if (r.failed()) return std::unexpected(r.error());
  AnimationSampler s;
  if (interp == "STEP") {
    s.interpolation = Interpolation::Step;
  } else if (interp == "LINEAR") {
    s.interpolation = Interpolation::Linear;
  } else if (interp == "CUBICSPLINE") {
    s.interpolation = Interpolation::CubicSpline;
  } else {
    return fail(Errc::GltfInvalid, where + ".interpolation '" + interp + "' is unknown");
  }
  auto in_info = accessor_info(doc, input);
  if (!in_info) return std::unexpected(in_info.error());
  if (in_info->components != 1 || in_info->count == 0)
    return fail(Errc::GltfInvalid, where + ".input is not a non-empty SCALAR accessor");
  auto in = read_floats(doc, input);
  if (!in) return std::unexpected(in.error());
  for (std::size_t i = 0; i < in->size(); ++i) {
    if (!std::isfinite((*in)[i]))
      return fail(Errc::GltfInvalid, where + ".input holds a NaN or infinite keyframe time");
    if (i > 0 && (*in)[i] < (*in)[i - 1])
      return fail(Errc::GltfInvalid, where + ".input keyframe times decrease");
  }
  auto out = read_floats(doc, output);
  if (!out) return std::unexpected(out.error());
  for (float v : *out)
    if (!std::isfinite(v)) return fail(Errc::GltfInvalid, where + ".output holds a NaN or infinite value");
  s.input = std::move(*in);
  s.output = std::move(*out);
  return s;
}

}  // namespace

Result<void> read_animations(const Document& doc, Scene& scene, const Warnings& warn) {
  JsonReader r;
  const Json& animations = array_or_empty(doc.json, "animations");
  for (std::size_t a = 0; a < animations.size(); ++a) {
    std::string where = "animations[" + std::to_string(a) + "]";
    Animation anim;
    anim.name = r.string(animations[a], "name", where);
    const Json* samplers = r.array(animations[a], "samplers", where);
    const Json* channels = r.array(animations[a], "channels", where);
    if (r.failed()) return std::unexpected(r.error());
    for (std::size_t i = 0; samplers && i < samplers->size(); ++i) {
      auto s = read_sampler(doc, (*samplers)[i], where + ".samplers[" + std::to_string(i) + "]");
      if (!s) return std::unexpected(s.error());
      anim.samplers.push_back(std::move(*s));
    }
    bool any_time = false;
    for (std::size_t i = 0; channels && i < channels->size(); ++i) {
      std::string cw = where + ".channels[" + std::to_string(i) + "]";
      const Json& cj = (*channels)[i];
      AnimationChannel ch;
      ch.sampler = r.index(cj, "sampler", anim.samplers.size(), -1, true, cw);
      const Json* target = r.object(cj, "target", cw);
      if (!r.failed() && !target) r.fail(Errc::GltfInvalid, cw + " has no target");
      if (r.failed()) return std::unexpected(r.error());
      ch.node = r.index(*target, "node", scene.nodes.size(), -1, false, cw + ".target");
      std::string path = r.string(*target, "path", cw + ".target");
      if (r.failed()) return std::unexpected(r.error());
      std::size_t width = 0;
      if (path == "translation") {
        ch.path = AnimationPath::Translation, width = 3;
      } else if (path == "rotation") {
        ch.path = AnimationPath::Rotation, width = 4;
      } else if (path == "scale") {
        ch.path = AnimationPath::Scale, width = 3;
      } else if (path == "weights") {
        ch.path = AnimationPath::Weights;
        if (ch.node >= 0) width = scene.nodes[static_cast<std::size_t>(ch.node)].weights.size();
      } else {
        warn.add(cw + " animates '" + path + "', which renderq does not implement; ignored");
        continue;
      }
      if (ch.node < 0) continue;  // no node: the specification says to ignore the channel
      if (ch.path == AnimationPath::Weights && width == 0) {
        warn.add(cw + " animates the weights of a node without morph targets; ignored");
        continue;
      }
      if (scene.nodes[static_cast<std::size_t>(ch.node)].matrix && ch.path != AnimationPath::Weights)
        return fail(Errc::GltfInvalid, cw + " animates a node that has a matrix");
      AnimationSampler& s = anim.samplers[static_cast<std::size_t>(ch.sampler)];
      std::size_t per = s.interpolation == Interpolation::CubicSpline ? 3 : 1;
      if (s.output.size() != s.input.size() * per * width)
        return fail(Errc::GltfInvalid, cw + ": the sampler has " + std::to_string(s.input.size()) +
                                           " keyframe times but " + std::to_string(s.output.size()) +
                                           " output values (" + std::to_string(per * width) +
                                           " per keyframe expected)");
      if (s.width != 0 && s.width != width)
        return fail(Errc::GltfInvalid, cw + ": the sampler serves channels of different widths");
      s.width = width;
      anim.start = any_time ? std::min(anim.start, s.input.front()) : s.input.front();
      anim.end = any_time ? std::max(anim.end, s.input.back()) : s.input.back();
      any_time = true;
      anim.channels.push_back(ch);
    }
    scene.animations.push_back(std::move(anim));
  }
  return {};
}

}  // namespace gltf
}  // namespace renderq
