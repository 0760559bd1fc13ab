#include "core/render_spec.hpp"

#include "core/input_file.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "core/output_format.hpp"
#include "core/utf8.hpp"

namespace renderq {

std::string_view tonemap_name(ToneMap t) noexcept {
  switch (t) {
    case ToneMap::PbrNeutral: return "pbr-neutral";
    case ToneMap::Aces: return "aces";
    case ToneMap::None: return "none";
  }
  return "pbr-neutral";
}

Result<ToneMap> parse_tonemap(std::string_view text) {
  if (text == "pbr-neutral" || text == "neutral") return ToneMap::PbrNeutral;
  if (text == "aces") return ToneMap::Aces;
  if (text == "none" || text == "linear") return ToneMap::None;
  return fail(Errc::InvalidArgument,
              "unknown tone mapping '" + std::string(text) + "' (use pbr-neutral, aces or none)");
}

namespace {

// Whether `output` holds exactly one '%', starting a field frame_path can
// fill: %d, %Nd or %0Nd with N one digit. Scanned by hand: std::regex
// matches by recursion, one stack frame per character, and a path of 30k
// characters overflowed the stack (fuzz/regressions/job_spec/).
bool one_frame_field(std::string_view output) {
  const std::size_t pct = output.find('%');
  if (pct == std::string_view::npos || output.find('%', pct + 1) != std::string_view::npos) return false;
  std::size_t i = pct + 1;
  if (i < output.size() && output[i] == '0') ++i;
  if (i < output.size() && output[i] >= '0' && output[i] <= '9') ++i;
  return i < output.size() && output[i] == 'd';
}

}  // namespace

Result<void> validate_values(const RenderSpec& s) {
  // First: later messages quote these strings, and the spec is stored as JSON.
  for (const auto& [what, text] : {std::pair<const char*, const std::string&>{"the scene path", s.scene},
                                   {"the output path", s.output},
                                   {"the camera (--camera)", s.camera},
                                   {"the environment path (--env)", s.environment},
                                   {"the animation (--animation)", s.animation}})
    if (auto ok = check_text(what, text); !ok) return ok;
  if (s.width < 1 || s.height < 1 || s.width > RenderSpec::kMaxDimension ||
      s.height > RenderSpec::kMaxDimension)
    return fail(Errc::SizeOutOfRange, "size " + std::to_string(s.width) + "x" +
                                          std::to_string(s.height) + " is out of range (1.." +
                                          std::to_string(RenderSpec::kMaxDimension) + " per side)");
  if (s.samples < 1 || s.samples > RenderSpec::kMaxSamples || (s.samples & (s.samples - 1)) != 0)
    return fail(Errc::SamplesOutOfRange, "samples " + std::to_string(s.samples) +
                                             " must be a power of two from 1 to " +
                                             std::to_string(RenderSpec::kMaxSamples));
  if (s.frames < 1 || s.frames > RenderSpec::kMaxFrames)
    return fail(Errc::InvalidArgument, "frames " + std::to_string(s.frames) + " is out of range (1.." +
                                           std::to_string(RenderSpec::kMaxFrames) + ")");
  if (s.turntable && s.frames < 2)
    return fail(Errc::InvalidArgument, "--turntable needs --frames of at least 2");
  if (s.turntable && !s.camera.empty())
    return fail(Errc::InvalidArgument, "--turntable orbits the default camera; drop --camera");
  if (s.frames > 1 && !s.turntable && !s.animate)
    return fail(Errc::InvalidArgument, "--frames " + std::to_string(s.frames) +
                                           " needs --turntable or --animate (the frames would be identical)");
  if (s.time && !std::isfinite(*s.time)) return fail(Errc::InvalidArgument, "time must be a finite number of seconds");
  if (s.time && s.animate)
    return fail(Errc::InvalidArgument, "--time and --animate exclude each other (--animate sets each frame's time)");
  if (!(s.fps >= 0 && s.fps <= RenderSpec::kMaxFps))
    return fail(Errc::InvalidArgument, "fps " + std::to_string(s.fps) + " is out of range (0 < fps <= 120)");
  if (s.png_level < 0 || s.png_level > 9)
    return fail(Errc::InvalidArgument, "PNG level " + std::to_string(s.png_level) + " is out of range (0..9)");
  if (s.depth != 8 && s.depth != 16)
    return fail(Errc::InvalidArgument, "depth " + std::to_string(s.depth) + " must be 8 or 16 bits per channel");
  if (s.quality < 0 || s.quality > 100)
    return fail(Errc::InvalidArgument, "quality " + std::to_string(s.quality) + " is out of range (1..100)");
  if (!std::isfinite(s.exposure) || std::fabs(s.exposure) > 20)
    return fail(Errc::InvalidArgument, "exposure must be a finite EV between -20 and 20");
  if (s.scene_index < -1) return fail(Errc::InvalidArgument, "scene index must be 0 or more");
  const OrbitCamera& o = s.orbit;
  if (o.fov_deg && !(*o.fov_deg > 0.5 && *o.fov_deg < 179.5))
    return fail(Errc::InvalidArgument, "fov must be between 0.5 and 179.5 degrees");
  if (o.pitch_deg && !(std::fabs(*o.pitch_deg) <= 89.9))
    return fail(Errc::InvalidArgument, "pitch must be between -89.9 and 89.9 degrees");
  if (o.yaw_deg && !std::isfinite(*o.yaw_deg)) return fail(Errc::InvalidArgument, "yaw must be finite");
  if (o.distance && !(*o.distance > 0 && std::isfinite(*o.distance)))
    return fail(Errc::InvalidArgument, "distance must be positive");
  if (o.target)
    for (double v : *o.target)
      if (!std::isfinite(v)) return fail(Errc::InvalidArgument, "target must be finite");
  if (s.frames > 1 && s.output.find('%') != std::string::npos && !one_frame_field(s.output))
    return fail(Errc::InvalidArgument, "output pattern '" + s.output + "' must hold exactly one field like %04d");
  if (!s.output.empty())
    if (auto ok = check_output_format(s); !ok) return ok;
  return {};
}

Result<void> validate_files(const RenderSpec& s) {
  namespace fs = std::filesystem;
  if (s.scene.empty() || s.scene.front() != '/')
    return fail(Errc::InvalidArgument, "scene path must be absolute: '" + s.scene + "'");
  if (s.output.empty() || s.output.front() != '/')
    return fail(Errc::InvalidArgument, "output path must be absolute: '" + s.output + "'");
  std::error_code ec;
  // A FIFO, a device or a directory is refused without blocking (core/input_file).
  auto scene_head = read_file_head(s.scene, 64);
  if (!scene_head) {
    switch (scene_head.error().problem) {
      case InputProblem::Missing: return fail(Errc::SceneMissing, "scene not found: " + s.scene);
      case InputProblem::Unreadable: return fail(Errc::SceneMissing, "scene not readable: " + s.scene + ": " + scene_head.error().detail);
      case InputProblem::NotRegular: return fail(Errc::SceneNotGltf, "scene is " + scene_head.error().detail + ", not a file: " + s.scene);
    }
    return fail(Errc::SceneMissing, "scene not readable: " + s.scene);
  }
  const char* head = scene_head->data();
  const auto n = static_cast<std::streamsize>(scene_head->size());
  bool glb = n >= 12 && head[0] == 'g' && head[1] == 'l' && head[2] == 'T' && head[3] == 'F';
  std::streamsize i = 0;
  if (n >= 3 && static_cast<unsigned char>(head[0]) == 0xEF && static_cast<unsigned char>(head[1]) == 0xBB &&
      static_cast<unsigned char>(head[2]) == 0xBF)
    i = 3;  // UTF-8 byte order mark
  while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  bool json = i < n && head[i] == '{';
  if (!glb && !json)
    return fail(Errc::SceneNotGltf, "not a glTF or GLB file (no JSON object or 'glTF' magic): " + s.scene);
  fs::path out_dir = fs::path(s.output).parent_path();
  if (!fs::is_directory(out_dir, ec))
    return fail(Errc::OutputNotWritable, "output folder does not exist: " + out_dir.string());
  if (::access(out_dir.c_str(), W_OK | X_OK) != 0)
    return fail(Errc::OutputNotWritable, "output folder is not writable: " + out_dir.string());
  if (fs::is_directory(s.output, ec))
    return fail(Errc::OutputNotWritable, "output is a directory: " + s.output);
  if (!s.environment.empty()) {
    if (s.environment.front() != '/')
      return fail(Errc::InvalidArgument, "environment path must be absolute: '" + s.environment + "'");
    auto env = read_file_head(s.environment, 16);
    if (!env) {
      const InputFileError& e = env.error();
      return fail(Errc::EnvironmentInvalid, e.problem == InputProblem::NotRegular
                                                ? "environment is " + e.detail + ", not a file: " + s.environment
                                                : "environment not readable: " + s.environment + ": " + e.detail);
    }
    // The signature line the decoder (render/hdr_image.cpp) insists on: a
    // .glb or a PNG given as --env is refused now, not by the daemon later.
    if (!env->starts_with("#?RADIANCE\n") && !env->starts_with("#?RGBE\n"))
      return fail(Errc::EnvironmentInvalid,
                  "environment is not a Radiance .hdr file (no #?RADIANCE signature): " + s.environment);
  }
  return {};
}

std::string frame_path(const RenderSpec& s, int index) {
  if (writes_animation(s)) return s.output;
  if (one_frame_field(s.output)) {
    const std::size_t pct = s.output.find('%');
    const std::size_t d = s.output.find('d', pct);
    const std::string fmt = s.output.substr(pct, d - pct + 1);
    char buf[32];
    std::snprintf(buf, sizeof buf, fmt.c_str(), index);
    return s.output.substr(0, pct) + buf + s.output.substr(d + 1);
  }
  if (s.frames <= 1) return s.output;
  std::filesystem::path p(s.output);
  char buf[16];
  std::snprintf(buf, sizeof buf, "_%04d", index);
  std::string stem = p.stem().string() + buf + p.extension().string();
  return (p.parent_path() / stem).string();
}

Result<std::optional<std::array<std::uint8_t, 3>>> parse_color(std::string_view text) {
  if (text == "transparent" || text == "none" || text.empty()) return std::optional<std::array<std::uint8_t, 3>>{};
  std::string_view hex = text;
  if (hex.front() == '#') hex.remove_prefix(1);
  auto bad = fail(Errc::InvalidArgument, "bad colour '" + std::string(text) + "' (use #RRGGBB or transparent)");
  if (hex.size() != 6) return bad;
  std::array<std::uint8_t, 3> rgb{};
  for (int c = 0; c < 3; ++c) {
    int v = 0;
    for (int k = 0; k < 2; ++k) {
      char ch = hex[static_cast<std::size_t>(c * 2 + k)];
      int d = (ch >= '0' && ch <= '9') ? ch - '0'
              : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
              : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
                                         : -1;
      if (d < 0) return bad;
      v = v * 16 + d;
    }
    rgb[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(v);
  }
  return std::optional<std::array<std::uint8_t, 3>>{rgb};
}

std::string format_color(const std::optional<std::array<std::uint8_t, 3>>& c) {
  if (!c) return "transparent";
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", (*c)[0], (*c)[1], (*c)[2]);
  return buf;
}

Result<std::array<int, 2>> parse_size(std::string_view text) {
  static const std::regex re(R"(^([0-9]{1,9})[xX]([0-9]{1,9})$)");
  std::string t(text);
  std::smatch m;
  if (!std::regex_match(t, m, re))
    return fail(Errc::SizeOutOfRange, "bad size '" + t + "' (use WxH, e.g. 1024x768)");
  return std::array<int, 2>{std::stoi(m[1]), std::stoi(m[2])};
}

nlohmann::json to_json(const RenderSpec& s) {
  nlohmann::json j = {
      {"version", RenderSpec::kVersion}, {"scene", s.scene},         {"output", s.output},
      {"width", s.width},                {"height", s.height},       {"samples", s.samples},
      {"scene_index", s.scene_index},    {"camera", s.camera},       {"environment", s.environment},
      {"exposure", s.exposure},          {"tonemap", tonemap_name(s.tonemap)},
      {"background", format_color(s.background)},
      {"frames", s.frames},              {"turntable", s.turntable}, {"png_level", s.png_level},
  };
  if (s.depth != 8) j["depth"] = s.depth;
  if (s.quality != 0) j["quality"] = s.quality;
  nlohmann::json orbit = nlohmann::json::object();
  if (s.orbit.yaw_deg) orbit["yaw"] = *s.orbit.yaw_deg;
  if (s.orbit.pitch_deg) orbit["pitch"] = *s.orbit.pitch_deg;
  if (s.orbit.distance) orbit["distance"] = *s.orbit.distance;
  if (s.orbit.fov_deg) orbit["fov"] = *s.orbit.fov_deg;
  if (s.orbit.target) orbit["target"] = *s.orbit.target;
  j["orbit"] = orbit;
  // Animation keys only when set: a spec without them reads as the rest pose.
  if (!s.animation.empty()) j["animation"] = s.animation;
  if (s.time) j["time"] = *s.time;
  if (s.animate) j["animate"] = true;
  if (s.fps > 0) j["fps"] = s.fps;
  if (s.max_scene_memory > 0) j["max_scene_memory"] = s.max_scene_memory;
  return j;
}

namespace {

Result<void> type_error(const std::string& key, const char* want) {
  return fail(Errc::InvalidArgument, "field '" + key + "' must be " + want);
}

}  // namespace

Result<RenderSpec> spec_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return fail(Errc::InvalidArgument, "render spec must be a JSON object");
  static const std::set<std::string> known = {
      "version", "scene",  "output",   "width",     "height",     "samples", "scene_index", "camera",
      "environment", "exposure", "tonemap", "background", "frames", "turntable", "png_level", "orbit",
      "depth", "quality", "animation", "time", "animate", "fps", "max_scene_memory"};
  for (const auto& [key, value] : j.items())
    if (!known.count(key)) return fail(Errc::InvalidArgument, "unknown field '" + key + "'");
  RenderSpec s;
  auto get_int = [&](const char* key, int& out, long lo, long hi) -> Result<void> {
    if (!j.contains(key)) return {};
    const auto& v = j.at(key);
    if (!v.is_number_integer()) return type_error(key, "an integer");
    auto x = v.get<long long>();
    if (x < lo || x > hi) return fail(Errc::InvalidArgument, std::string("field '") + key + "' is out of range");
    out = static_cast<int>(x);
    return {};
  };
  auto get_str = [&](const char* key, std::string& out) -> Result<void> {
    if (!j.contains(key)) return {};
    if (!j.at(key).is_string()) return type_error(key, "a string");
    out = j.at(key).get<std::string>();
    if (out.find('\0') != std::string::npos) return type_error(key, "a string without NUL bytes");
    return {};
  };
  int version = RenderSpec::kVersion;
  if (auto r = get_int("version", version, 1, 1'000'000); !r) return std::unexpected(r.error());
  if (version > RenderSpec::kVersion)
    return fail(Errc::InvalidArgument, "render spec version " + std::to_string(version) +
                                           " is newer than this renderq understands (" +
                                           std::to_string(RenderSpec::kVersion) + ")");
  for (auto r : {get_str("scene", s.scene), get_str("output", s.output), get_str("camera", s.camera),
                 get_str("environment", s.environment),
                 get_int("width", s.width, -1'000'000'000, 1'000'000'000),
                 get_int("height", s.height, -1'000'000'000, 1'000'000'000),
                 get_int("samples", s.samples, -1'000'000, 1'000'000),
                 get_int("scene_index", s.scene_index, -1, 1'000'000),
                 get_int("frames", s.frames, -1'000'000'000, 1'000'000'000),
                 get_int("png_level", s.png_level, -100, 100), get_int("depth", s.depth, 0, 1'000),
                 get_int("quality", s.quality, -1'000, 1'000)})
    if (!r) return std::unexpected(r.error());
  if (j.contains("exposure")) {
    if (!j["exposure"].is_number()) return std::unexpected(type_error("exposure", "a number").error());
    s.exposure = j["exposure"].get<double>();
  }
  if (j.contains("turntable")) {
    if (!j["turntable"].is_boolean()) return std::unexpected(type_error("turntable", "a boolean").error());
    s.turntable = j["turntable"].get<bool>();
  }
  if (auto r = get_str("animation", s.animation); !r) return std::unexpected(r.error());
  if (j.contains("time")) {
    if (!j["time"].is_number()) return std::unexpected(type_error("time", "a number").error());
    s.time = j["time"].get<double>();
  }
  if (j.contains("animate")) {
    if (!j["animate"].is_boolean()) return std::unexpected(type_error("animate", "a boolean").error());
    s.animate = j["animate"].get<bool>();
  }
  if (j.contains("fps")) {
    if (!j["fps"].is_number()) return std::unexpected(type_error("fps", "a number").error());
    s.fps = j["fps"].get<double>();
  }
  if (j.contains("max_scene_memory")) {
    if (!j["max_scene_memory"].is_number_unsigned())
      return std::unexpected(type_error("max_scene_memory", "a byte count (a non-negative integer)").error());
    s.max_scene_memory = j["max_scene_memory"].get<std::uint64_t>();
  }
  if (j.contains("tonemap")) {
    if (!j["tonemap"].is_string()) return std::unexpected(type_error("tonemap", "a string").error());
    auto t = parse_tonemap(j["tonemap"].get<std::string>());
    if (!t) return std::unexpected(t.error());
    s.tonemap = *t;
  }
  if (j.contains("background")) {
    if (!j["background"].is_string()) return std::unexpected(type_error("background", "a string").error());
    auto c = parse_color(j["background"].get<std::string>());
    if (!c) return std::unexpected(c.error());
    s.background = *c;
  }
  if (j.contains("orbit")) {
    const auto& o = j["orbit"];
    if (!o.is_object()) return std::unexpected(type_error("orbit", "an object").error());
    for (const auto& [key, value] : o.items()) {
      if (key == "target") {
        if (!value.is_array() || value.size() != 3 || !value[0].is_number() || !value[1].is_number() ||
            !value[2].is_number())
          return std::unexpected(type_error("orbit.target", "an array of three numbers").error());
        s.orbit.target = std::array<double, 3>{value[0].get<double>(), value[1].get<double>(), value[2].get<double>()};
        continue;
      }
      std::optional<double>* slot = key == "yaw"        ? &s.orbit.yaw_deg
                                    : key == "pitch"    ? &s.orbit.pitch_deg
                                    : key == "distance" ? &s.orbit.distance
                                    : key == "fov"      ? &s.orbit.fov_deg
                                                        : nullptr;
      if (!slot) return fail(Errc::InvalidArgument, "unknown field 'orbit." + key + "'");
      if (!value.is_number()) return std::unexpected(type_error("orbit." + key, "a number").error());
      *slot = value.get<double>();
    }
  }
  return s;
}

}  // namespace renderq
