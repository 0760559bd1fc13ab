// RenderSpec: the one definition of "what to render". The same struct is
// filled by `renderq render` and `renderq submit` (cli/render_options.cpp),
// stored as versioned JSON in the spool, received over HTTP, and consumed by
// the renderer, so the three can never drift apart.
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"

namespace renderq {

enum class ToneMap { PbrNeutral, Aces, None };

std::string_view tonemap_name(ToneMap t) noexcept;  // "pbr-neutral", "aces", "none"
Result<ToneMap> parse_tonemap(std::string_view text);

// Orbit camera overrides. Unset fields come from auto-framing.
struct OrbitCamera {
  std::optional<double> yaw_deg;     // around +Y, 0 looks down -Z from +Z
  std::optional<double> pitch_deg;   // elevation, positive looks down on the model
  std::optional<double> distance;    // from target, scene units
  std::optional<double> fov_deg;     // vertical field of view
  std::optional<std::array<double, 3>> target;
  bool operator==(const OrbitCamera&) const = default;
};

struct RenderSpec {
  static constexpr int kVersion = 1;
  // Hard limits, independent of the device (the device may impose lower ones).
  static constexpr int kMaxDimension = 16384;
  static constexpr int kMaxSamples = 64;
  static constexpr int kMaxFrames = 100000;
  static constexpr double kMaxFps = 120.0;

  std::string scene;         // absolute path to .gltf or .glb
  std::string output;        // absolute path; may hold a frame field, see frame_path()
  int width = 1024;
  int height = 1024;
  int samples = 4;           // MSAA samples; 1 = off
  int scene_index = -1;      // -1: the file's default scene
  std::string camera;        // "" = orbit/auto; else a camera name or index in the file
  OrbitCamera orbit;
  std::string environment;   // "" = built-in studio; else absolute path to a Radiance .hdr
  double exposure = 0.0;     // EV
  ToneMap tonemap = ToneMap::PbrNeutral;
  std::optional<std::array<std::uint8_t, 3>> background;  // nullopt = transparent
  int frames = 1;
  bool turntable = false;    // frames orbit 360 degrees around the target
  int png_level = 1;         // zlib level 0..9; 1 is tuned for speed
  // Output encoding (core/output_format.hpp: the output's extension picks the
  // format). Zero means the format's default; options a format has no use
  // for are ignored, and stored JSON leaves out values at their default.
  int depth = 8;             // bits per channel: 8, or 16 (PNG only)
  int quality = 0;           // JPEG/WebP 1..100; 0: JPEG 90, WebP lossless
  // Animation. With none of animation, time and animate the scene is drawn
  // in its rest pose; with any of them, in a pose of one animation.
  std::string animation;       // "" = the file's first; else a name or an index
  std::optional<double> time;  // seconds: the pose of every frame (clamped to the clip)
  bool animate = false;        // frame i at start + i * duration / frames ...
  // Frames per second of a sequence, 0 < fps <= 120; 0 = unset. With animate,
  // frame i is the pose at i / fps seconds (unset: spread over the clip); an
  // animated WebP shows each frame 1 / fps seconds (unset: kDefaultFps, 25).
  double fps = 0.0;
  // The most memory loading this job's scene may need, in bytes (0 = unset):
  // a job can only lower the budget of the process that renders it
  // (core/memory_budget.hpp; the daemon's --max-scene-memory).
  std::uint64_t max_scene_memory = 0;

  bool operator==(const RenderSpec&) const = default;
};

// Checks ranges and consistency without touching the filesystem:
// Errc::SizeOutOfRange, Errc::SamplesOutOfRange, Errc::InvalidArgument
// (also for a path, camera or animation that is not valid UTF-8 or holds a
// NUL byte (core/utf8.hpp), frames > 1 with neither turntable nor animate,
// turntable with a camera, time with animate); a non-empty output must
// name a format that can hold what is asked (check_output_format:
// Errc::OutputFormatUnknown, OutputFormatUnsupported).
Result<void> validate_values(const RenderSpec& spec);

// Checks the files: the scene exists, is readable and starts like glTF JSON
// or a GLB header (Errc::SceneMissing, Errc::SceneNotGltf); the output's
// folder exists and is writable (Errc::OutputNotWritable); the environment,
// when given, is a readable regular file that starts with a Radiance .hdr
// signature line (Errc::EnvironmentInvalid). Paths must be absolute.
Result<void> validate_files(const RenderSpec& spec);

// The output path of frame `index` (0-based). When `output` holds one
// printf field like %04d it is filled with the index, whatever the frame
// count ("one_%04d.png" with one frame -> "one_0000.png"). Without one,
// frames == 1 gives `output`, and more frames insert "_%04d" before the
// extension ("out.png" -> "out_0000.png"). The exception: a .webp output
// without a field holds every frame as one animation (writes_animation), so
// every index gives `output`. Extensions no encoder writes are refused by
// validate_values before any path is made. Every writer and reader of
// outputs goes through this (output_files, the output writer, the HTTP
// output route), so they always agree.
std::string frame_path(const RenderSpec& spec, int index);

// Versioned JSON form: {"version":1, "scene":..., ...}. from_json rejects
// unknown keys, wrong types and a newer version with Errc::InvalidArgument
// naming the field; it does not run validate_values. Keys added after
// version 1 (depth, quality, fps, max_scene_memory) are written only when not at their
// default and default when absent, so older JSON reads unchanged and specs
// that do not use them stay readable by older renderq.
nlohmann::json to_json(const RenderSpec& spec);
Result<RenderSpec> spec_from_json(const nlohmann::json& j);

// Parses "#RRGGBB" (or "RRGGBB"); "transparent"/"none" give nullopt.
Result<std::optional<std::array<std::uint8_t, 3>>> parse_color(std::string_view text);
std::string format_color(const std::optional<std::array<std::uint8_t, 3>>& c);

// Parses "WxH", e.g. "1920x1080".
Result<std::array<int, 2>> parse_size(std::string_view text);

}  // namespace renderq
