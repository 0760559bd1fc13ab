#include "preview/view_state.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>

namespace renderq {

namespace {

constexpr double kMaxPitch = 89.9;   // validate_values' limit
constexpr double kZoomStep = 0.9;    // distance factor per scroll step
constexpr double kExposureStep = 0.5;

std::string number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc{} ? std::string(buf, end) : std::to_string(v);
}

std::string quote(const std::string& s) {
  bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("/._-+,=:%@").find(c) != std::string_view::npos;
  });
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

ViewState make_view_state(const RenderSpec& spec) {
  namespace fs = std::filesystem;
  ViewState s{.spec = spec, .home = spec.orbit, .environments = {""}, .env_index = 0};
  s.spec.frames = 1;
  s.spec.turntable = false;
  if (!spec.environment.empty()) {
    std::vector<std::string> found;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(fs::path(spec.environment).parent_path(), ec))
      if (e.path().extension() == ".hdr") found.push_back(e.path().string());
    if (std::find(found.begin(), found.end(), spec.environment) == found.end()) found.push_back(spec.environment);
    std::sort(found.begin(), found.end());
    s.environments.insert(s.environments.end(), found.begin(), found.end());
    s.env_index = static_cast<std::size_t>(
        std::find(s.environments.begin(), s.environments.end(), spec.environment) - s.environments.begin());
  }
  return s;
}

void orbit_drag(ViewState& s, double dx_px, double dy_px, int window_height) {
  const double per_px = 180.0 / std::max(window_height, 1);
  double yaw = std::fmod(s.spec.orbit.yaw_deg.value_or(0) - dx_px * per_px, 360.0);
  s.spec.orbit.yaw_deg = yaw < 0 ? yaw + 360.0 : yaw;
  s.spec.orbit.pitch_deg = std::clamp(s.spec.orbit.pitch_deg.value_or(0) + dy_px * per_px, -kMaxPitch, kMaxPitch);
}

void zoom(ViewState& s, double steps) {
  double d = s.spec.orbit.distance.value_or(1.0) * std::pow(kZoomStep, steps);
  if (std::isfinite(d) && d > 0) s.spec.orbit.distance = d;
}

PreviewAction handle_key(ViewState& s, int key) {
  switch (key) {
    case 'e':
      s.env_index = (s.env_index + 1) % s.environments.size();
      s.spec.environment = s.environments[s.env_index];
      return PreviewAction::Redraw;
    case 't':
      s.spec.tonemap = s.spec.tonemap == ToneMap::PbrNeutral ? ToneMap::Aces
                       : s.spec.tonemap == ToneMap::Aces     ? ToneMap::None
                                                             : ToneMap::PbrNeutral;
      return PreviewAction::Redraw;
    case '+':
    case '=':
      s.spec.exposure = std::min(s.spec.exposure + kExposureStep, 20.0);
      return PreviewAction::Redraw;
    case '-':
      s.spec.exposure = std::max(s.spec.exposure - kExposureStep, -20.0);
      return PreviewAction::Redraw;
    case '0':
      s.spec.exposure = 0;
      return PreviewAction::Redraw;
    case 'r':
      s.spec.orbit = s.home;
      return PreviewAction::Redraw;
    case 'p':
      return PreviewAction::PrintSubmit;
    case 'q':
    case 27:
      return PreviewAction::Quit;
    default:
      return PreviewAction::None;
  }
}

std::string submit_args(const RenderSpec& spec) {
  std::string out = "renderq submit " + quote(spec.scene) + " -o " + quote(spec.output);
  auto opt = [&out](const char* name, const std::string& value) { out += std::string(" ") + name + " " + quote(value); };
  opt("--size", std::to_string(spec.width) + "x" + std::to_string(spec.height));
  opt("--samples", std::to_string(spec.samples));
  if (spec.scene_index >= 0) opt("--scene", std::to_string(spec.scene_index));
  if (!spec.camera.empty()) {
    opt("--camera", spec.camera);
  } else {
    const OrbitCamera& o = spec.orbit;
    if (o.yaw_deg) opt("--yaw", number(*o.yaw_deg));
    if (o.pitch_deg) opt("--pitch", number(*o.pitch_deg));
    if (o.distance) opt("--distance", number(*o.distance));
    if (o.target) opt("--target", number((*o.target)[0]) + "," + number((*o.target)[1]) + "," + number((*o.target)[2]));
    if (o.fov_deg) opt("--fov", number(*o.fov_deg));
  }
  if (!spec.environment.empty()) opt("--env", spec.environment);
  opt("--tonemap", std::string(tonemap_name(spec.tonemap)));
  opt("--exposure", number(spec.exposure));
  opt("--background", format_color(spec.background));
  if (spec.png_level != 1) opt("--png-level", std::to_string(spec.png_level));
  if (spec.depth != 8) opt("--depth", std::to_string(spec.depth));
  if (spec.quality != 0) opt("--quality", std::to_string(spec.quality));
  if (spec.fps != 0) opt("--fps", std::to_string(spec.fps));
  return out;
}

}  // namespace renderq
