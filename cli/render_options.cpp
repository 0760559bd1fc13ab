#include "cli/render_options.hpp"

#include <cstdio>
#include <filesystem>

#include "core/byte_size.hpp"

namespace renderq {

namespace {

// A number as short as it reads: 0, 0.5, 1e+300 (std::to_string printed 0.000000).
std::string shortest(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

}  // namespace

void add_render_options(CLI::App& cmd, RenderOptionValues& v) {
  cmd.add_option("scene", v.scene, "glTF 2.0 scene (.gltf or .glb)")->required()->type_name("SCENE");
  cmd.add_option("-o,--output", v.output,
                 "Output .png, .jpg or .webp (with --frames N: a pattern like out_%04d.png; one animated "
                 "file for .webp)")
      ->required()
      ->type_name("OUT");
  cmd.add_option("--size", v.size, "Image size WxH (default 1024x1024)")->type_name("WxH");
  cmd.add_option("--samples", v.samples, "MSAA samples: 1 (off), 2, 4, 8 ... (default 4)")->type_name("N");
  cmd.add_option("--scene", v.scene_index, "Scene index in the file (default: the file's default scene)")
      ->type_name("N");
  cmd.add_option("--camera", v.camera, "Use a camera of the file, by name or index")->type_name("NAME|INDEX");
  cmd.add_option("--yaw", v.yaw, "Orbit yaw in degrees around +Y")->type_name("DEG");
  cmd.add_option("--pitch", v.pitch, "Orbit pitch in degrees (positive looks down)")->type_name("DEG");
  cmd.add_option("--distance", v.distance, "Orbit distance from the target")->type_name("D");
  cmd.add_option("--target", v.target, "Orbit target X,Y,Z")->delimiter(',')->expected(3)->type_name("X,Y,Z");
  cmd.add_option("--fov", v.fov, "Vertical field of view in degrees")->type_name("DEG");
  cmd.add_option("--env", v.environment, "Equirectangular Radiance .hdr environment (default: built-in studio)")
      ->type_name("FILE");
  cmd.add_option("--exposure", v.exposure, "Exposure in EV (default 0)")->type_name("EV");
  cmd.add_option("--tonemap", v.tonemap, "Tone mapping: pbr-neutral (default), aces, none")->type_name("NAME");
  cmd.add_option("--background", v.background, "Background '#RRGGBB' (default: transparent)")->type_name("COLOR");
  cmd.add_option("--frames", v.frames, "Number of frames (default 1)")->type_name("N");
  cmd.add_flag("--turntable", v.turntable, "Orbit 360 degrees over the frames");
  cmd.add_option("--png-level", v.png_level, "PNG compression level 0-9 (default 1, fast)")->type_name("N");
  cmd.add_option("--depth", v.depth, "Bits per channel: 8 (default) or 16 (PNG only)")->type_name("BITS");
  cmd.add_option("--quality", v.quality, "JPEG/WebP quality 1-100 (default: JPEG 90, WebP lossless)")
      ->type_name("N");
  // Animation: a pose at a time, or frames that play the clip.
  cmd.add_option("--animation", v.animation, "Pose with this animation of the file (default: the first)")
      ->type_name("NAME|INDEX");
  cmd.add_option("--time", v.time, "Pose at this time of the animation, in seconds")->type_name("SECONDS");
  cmd.add_flag("--animate", v.animate, "Frames play the animation, spread over the clip");
  cmd.add_option("--fps", v.fps,
                 "Frames per second: with --animate frame i is at i/F s; an animated .webp shows each "
                 "frame 1/F s (default 25)")
      ->type_name("F");
  cmd.add_option("--max-scene-memory", v.max_scene_memory,
                 "Most memory the scene may need, checked before loading (default: half the memory, up to 64G)")
      ->type_name("SIZE");
}

Result<RenderSpec> to_spec(const RenderOptionValues& v) {
  namespace fs = std::filesystem;
  RenderSpec s;
  std::error_code ec;
  s.scene = fs::absolute(v.scene, ec).lexically_normal().string();
  if (ec) return fail(Errc::InvalidArgument, "bad scene path '" + v.scene + "'");
  s.output = fs::absolute(v.output, ec).lexically_normal().string();
  if (ec) return fail(Errc::InvalidArgument, "bad output path '" + v.output + "'");
  if (!v.size.empty()) {
    auto size = parse_size(v.size);
    if (!size) return std::unexpected(size.error());
    s.width = (*size)[0];
    s.height = (*size)[1];
  }
  s.samples = v.samples;
  s.scene_index = v.scene_index;
  s.camera = v.camera;
  s.orbit.yaw_deg = v.yaw;
  s.orbit.pitch_deg = v.pitch;
  s.orbit.distance = v.distance;
  s.orbit.fov_deg = v.fov;
  if (!v.target.empty()) s.orbit.target = std::array<double, 3>{v.target[0], v.target[1], v.target[2]};
  if (!v.environment.empty()) {
    s.environment = fs::absolute(v.environment, ec).lexically_normal().string();
    if (ec) return fail(Errc::InvalidArgument, "bad environment path '" + v.environment + "'");
  }
  s.exposure = v.exposure;
  auto tm = parse_tonemap(v.tonemap);
  if (!tm) return std::unexpected(tm.error());
  s.tonemap = *tm;
  auto bg = parse_color(v.background);
  if (!bg) return std::unexpected(bg.error());
  s.background = *bg;
  s.frames = v.frames;
  s.turntable = v.turntable;
  s.png_level = v.png_level;
  s.depth = v.depth;
  // 0 means "the format's default" in a spec; typed, it is out of range.
  if (v.quality && (*v.quality < 1 || *v.quality > 100))
    return fail(Errc::InvalidArgument, "--quality " + std::to_string(*v.quality) + " is out of range (1..100)");
  if (v.fps && !(*v.fps > 0 && *v.fps <= RenderSpec::kMaxFps))
    return fail(Errc::InvalidArgument, "--fps " + shortest(*v.fps) + " is out of range (0 < F <= 120)");
  s.quality = v.quality.value_or(0);
  s.animation = v.animation;
  s.time = v.time;
  s.animate = v.animate;
  s.fps = v.fps.value_or(0.0);
  if (!v.max_scene_memory.empty()) {
    auto bytes = parse_byte_size(v.max_scene_memory);
    if (!bytes) return std::unexpected(Error{bytes.error().code, "--max-scene-memory: " + bytes.error().detail});
    if (*bytes == 0) return fail(Errc::InvalidArgument, "--max-scene-memory must be more than 0");
    s.max_scene_memory = static_cast<std::uint64_t>(*bytes);
  }
  if (auto ok = validate_values(s); !ok) return std::unexpected(ok.error());
  return s;
}

}  // namespace renderq
