// Renderer: the one entry point that turns a RenderSpec into image files
// (PNG, JPEG or WebP by the output's extension: render/output_writer.hpp).
// `renderq render`, the daemon's worker and the preview all use it, so what
// a script sees is what the queue produces.
//
// A Renderer owns an EGL context on one device plus its caches (compiled
// shaders, prefiltered environments, uploaded scenes, framebuffers), so a
// long-lived worker pays set-up costs once.
//
// Thread-safety: a Renderer must be used from the thread that created it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/device.hpp"
#include "core/error.hpp"
#include "core/log_fn.hpp"
#include "core/render_spec.hpp"

namespace renderq {

// Lists EGL devices that can create a desktop GL 4.5 core context.
Result<std::vector<DeviceInfo>> enumerate_devices();

struct Scene;

// Milliseconds, for logs and benchmarks. Frames overlap (frame N+1 draws
// while N is read back and encoded), so each stage is its busy time summed
// over frames, not a slice of the wall clock: draw = the GL thread issuing a
// frame's commands plus the device's time on them (timer queries; on a
// software device, which has no usable device clock, the GL thread's wait for
// the frame's fence instead);
// readback = the device's copy into the read-back buffer plus mapping and
// copying it out; encode = the encoder threads' time, summed over threads.
// wait is what the GL thread spent blocked (on a fence, or on a full encoder
// queue); wall runs from the first frame's draw to the last file written.
struct StageTimes {
  double load = 0, decode = 0, upload = 0, ibl = 0, draw = 0, readback = 0, encode = 0;
  double wait = 0, wall = 0;
  int frames = 0, encoder_threads = 0;
  int textures_cached = 0;  // textures found in the content cache (neither decoded nor uploaded)
};

struct RenderReport {
  std::vector<std::string> outputs;   // files written
  std::vector<std::string> warnings;
  StageTimes times;
};

// One image in memory: RGBA8, straight alpha, rows top to bottom (as a PNG).
struct RgbaImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba;
};


// Limits of one Renderer (zero = default).
struct RendererLimits {
  // The scene memory budget (core/memory_budget.hpp) every load takes from:
  // the scene, its buffers, meshes and images, and the environment .hdr.
  // 0 = default_scene_memory(). A spec's max_scene_memory can only lower it.
  std::uint64_t max_scene_memory = 0;
  // Threads that encode frames while the next ones draw; 0 =
  // default_encoder_threads().
  int encoder_threads = 0;
};

class Renderer {
 public:
  // Creates the EGL display and a GL 4.5 core context. Errc::EglNoDevice,
  // Errc::EglInitFailed, Errc::EglNoGl45.
  static Result<std::unique_ptr<Renderer>> create(const DeviceSelector& selector, LogFn log = {},
                                                  RendererLimits limits = {});
  virtual ~Renderer() = default;

  virtual const DeviceInfo& device() const = 0;

  // Renders every frame of `spec` and writes its files atomically (temporary
  // file + rename): one per frame, or one animated .webp. Calls progress after each frame.
  // With a `stage` tag each file is written to its staged name instead
  // (core/staged_output.hpp), for a daemon to publish; the rules below hold
  // for those names.
  // On a failure no frame stays: those already written are removed, and
  // no further frame is drawn (a write error such as ENOSPC is
  // Errc::OutputNotWritable naming the file and the errno). Fails with the loader's
  // and GL's named errors; Errc::SamplesOutOfRange above the device's
  // maximum; Errc::SizeOutOfRange / Errc::OutOfMemoryBudget before allocating;
  // Errc::SceneTooLarge when the scene or the environment needs more than
  // the scene memory budget (the least of RendererLimits' and the spec's),
  // before it is loaded;
  // Errc::ContextLost after a GPU reset (the caller should discard this
  // Renderer).
  virtual Result<RenderReport> render(const RenderSpec& spec, const ProgressFn& progress = {},
                                      std::string_view stage = {}) = 0;

  // Renders frame 0 of `spec` into memory instead of a file (spec.output is
  // ignored): the preview window shows what render() would write. Same
  // checks and errors as render().
  virtual Result<RgbaImage> render_image(const RenderSpec& spec, RenderReport* report = nullptr) = 0;

  // spec's orbit camera with every unset field resolved as auto-framing
  // does for spec's scene and size (see resolve_orbit in render/camera.hpp).
  // Loads the scene through the same cache as render().
  virtual Result<OrbitCamera> resolved_orbit(const RenderSpec& spec) = 0;

  // Draws an already loaded `scene` with `spec`'s settings (spec.scene is
  // ignored). For tests and tools that build scenes in code; same path and
  // errors as render() after loading. uniform_environment, when set, lights
  // the scene with a uniform environment of that radiance instead of
  // spec.environment (the white-furnace test).
  struct SceneOptions {
    std::optional<float> uniform_environment;
  };
  virtual Result<RenderReport> render_scene(const Scene& scene, const RenderSpec& spec, const SceneOptions& options,
                                            const ProgressFn& progress = {}) = 0;
};

}  // namespace renderq
