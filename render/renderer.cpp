// The EGL + OpenGL implementation of Renderer: one context, its caches
// (shader program, frame target, uploaded scenes) and the PNG encoder thread.
#include "render/renderer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <optional>

#include "render/camera.hpp"
#include "render/color.hpp"
#include "render/egl_context.hpp"
#include "render/gl_draw.hpp"
#include "render/gl_framebuffer.hpp"
#include "render/gl_program.hpp"
#include "render/gl_scene.hpp"
#include "render/ibl.hpp"
#include "render/png_writer.hpp"
#include "gltf/scene.hpp"
#include "render/shaders/pbr_shaders.hpp"

namespace renderq {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Where prefiltered environments persist across processes:
// $RENDERQ_CACHE_DIR/ibl, else $XDG_CACHE_HOME/renderq/ibl, else
// ~/.cache/renderq/ibl; memory only when none is set.
std::filesystem::path ibl_cache_dir() {
  if (const char* d = std::getenv("RENDERQ_CACHE_DIR"); d && *d) return std::filesystem::path(d) / "ibl";
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) return std::filesystem::path(d) / "renderq" / "ibl";
  if (const char* d = std::getenv("HOME"); d && *d) return std::filesystem::path(d) / ".cache" / "renderq" / "ibl";
  return {};
}

// Uploaded scenes kept per process: a worker that renders the same file again
// (turntables split in jobs, previews, a batch cycling through a few models)
// skips loading and uploading. Four covers bench/render_bench.sh's rotation of
// four models; a cached scene costs its vertex buffers and textures.
constexpr std::size_t kSceneCacheSize = 4;

class GlRenderer final : public Renderer {
 public:
  GlRenderer(std::unique_ptr<EglContext> egl, GlShaderProgram program, LogFn log)
      : egl_(std::move(egl)),
        log_(std::move(log)),
        program_(std::move(program)),
        ibl_(std::make_unique<IblCache>(ibl_cache_dir(), log_)) {}

  // GL objects are deleted by the members' destructors: the context must be
  // current for them, whatever another EglContext did to this thread.
  ~GlRenderer() override { (void)egl_->make_current(); }

  const DeviceInfo& device() const override { return egl_->info(); }

  Result<RenderReport> render(const RenderSpec& spec, const ProgressFn& progress) override {
    if (auto ok = egl_->make_current(); !ok) return std::unexpected(ok.error());
    if (auto ok = validate_values(spec); !ok) return std::unexpected(ok.error());
    if (auto ok = validate_files(spec); !ok) return std::unexpected(ok.error());
    // Device limits and the memory budget before the scene is even loaded.
    if (auto ok = check_frame(spec.width, spec.height, spec.samples, device()); !ok) return std::unexpected(ok.error());
    RenderReport report;
    auto entry = cached_scene(spec, report);
    if (!entry) return std::unexpected(entry.error());
    return draw_frames(*(*entry)->scene, *(*entry)->gpu, spec, SceneOptions{}, progress, report);
  }

  Result<RgbaImage> render_image(const RenderSpec& spec, RenderReport* report_out) override {
    if (auto ok = egl_->make_current(); !ok) return std::unexpected(ok.error());
    if (auto ok = validate_values(spec); !ok) return std::unexpected(ok.error());
    if (auto ok = check_frame(spec.width, spec.height, spec.samples, device()); !ok) return std::unexpected(ok.error());
    RenderReport report;
    auto entry = cached_scene(spec, report);
    if (!entry) return std::unexpected(entry.error());
    DrawSettings ds;
    if (auto ok = prepare(spec, SceneOptions{}, ds, report); !ok) return std::unexpected(ok.error());
    auto frame = draw_one(*(*entry)->scene, *(*entry)->gpu, spec, 0, ds, report);
    if (!frame) return std::unexpected(frame.error());
    // What the encoder does before writing: straight alpha, rows top down.
    unpremultiply_srgb_rgba8(frame->pixels);
    RgbaImage image{.width = spec.width, .height = spec.height, .rgba = std::vector<std::uint8_t>(frame->pixels.size())};
    const std::size_t stride = static_cast<std::size_t>(spec.width) * 4;
    for (int y = 0; y < spec.height; ++y)
      std::copy_n(frame->pixels.data() + static_cast<std::size_t>(spec.height - 1 - y) * stride, stride,
                  image.rgba.data() + static_cast<std::size_t>(y) * stride);
    if (report_out) *report_out = std::move(report);
    return image;
  }

  Result<OrbitCamera> resolved_orbit(const RenderSpec& spec) override {
    if (auto ok = egl_->make_current(); !ok) return std::unexpected(ok.error());
    RenderReport report;
    auto entry = cached_scene(spec, report);
    if (!entry) return std::unexpected(entry.error());
    return resolve_orbit(*(*entry)->scene, spec,
                         static_cast<float>(spec.width) / static_cast<float>(std::max(spec.height, 1)));
  }

  Result<RenderReport> render_scene(const Scene& scene, const RenderSpec& spec, const SceneOptions& options,
                                    const ProgressFn& progress) override {
    if (auto ok = egl_->make_current(); !ok) return std::unexpected(ok.error());
    if (auto ok = validate_values(spec); !ok) return std::unexpected(ok.error());
    if (auto ok = check_frame(spec.width, spec.height, spec.samples, device()); !ok) return std::unexpected(ok.error());
    RenderReport report;
    auto t0 = Clock::now();
    auto gpu = GlScene::upload(scene);
    if (!gpu) return std::unexpected(gpu.error());
    report.times.upload = ms_since(t0);
    return draw_frames(scene, *gpu, spec, options, progress, report);
  }

 private:
  struct CachedScene {
    std::string key;
    std::unique_ptr<Scene> scene;  // stable address: GlScene points into it
    std::optional<GlScene> gpu;
  };

  static std::string cache_key(const RenderSpec& spec) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto mtime = fs::last_write_time(spec.scene, ec).time_since_epoch().count();
    auto size = fs::file_size(spec.scene, ec);
    return spec.scene + '\n' + std::to_string(spec.scene_index) + '\n' + std::to_string(mtime) + '\n' +
           std::to_string(size);
  }

  Result<CachedScene*> cached_scene(const RenderSpec& spec, RenderReport& report) {
    std::string key = cache_key(spec);
    for (CachedScene& c : scenes_)
      if (c.key == key) return &c;
    auto t0 = Clock::now();
    LoadOptions lo;
    lo.scene_index = spec.scene_index;
    lo.log = [&](std::string_view line) {
      report.warnings.emplace_back(line);
      if (log_) log_(line);
    };
    auto loaded = load_gltf(spec.scene, lo);
    if (!loaded) return std::unexpected(loaded.error());
    report.times.decode = loaded->times.decode_ms;
    report.times.load = ms_since(t0) - loaded->times.decode_ms;
    for (const std::string& w : loaded->warnings) report.warnings.push_back(w);
    CachedScene entry;
    entry.key = key;
    entry.scene = std::make_unique<Scene>(std::move(*loaded));
    t0 = Clock::now();
    auto gpu = GlScene::upload(*entry.scene);
    if (!gpu) return std::unexpected(gpu.error());
    glFinish();
    report.times.upload = ms_since(t0);
    entry.gpu.emplace(std::move(*gpu));
    if (scenes_.size() == kSceneCacheSize) scenes_.pop_front();
    scenes_.push_back(std::move(entry));
    return &scenes_.back();
  }

  Result<void> ensure_target(const RenderSpec& spec) {
    if (target_ && target_->width() == spec.width && target_->height() == spec.height &&
        target_->samples() == spec.samples)
      return {};
    target_.reset();  // free the old one before allocating the new
    auto t = GlFrameTarget::create(spec.width, spec.height, spec.samples, device());
    if (!t) return std::unexpected(t.error());
    target_.emplace(std::move(*t));
    return {};
  }

  Result<void> check_gl(const char* where) {
    if (glGetGraphicsResetStatus() != GL_NO_ERROR) {
      target_.reset();
      return fail(Errc::ContextLost, std::string("GPU reset during ") + where + "; the renderer must be recreated");
    }
    GLenum e = glGetError();
    if (e == GL_OUT_OF_MEMORY) return fail(Errc::OutOfMemoryBudget, std::string("GL out of memory during ") + where);
    if (e != GL_NO_ERROR) return fail(Errc::Internal, std::string("GL error ") + std::to_string(e) + " during " + where);
    return {};
  }

  // The frame target and the draw settings every frame of `spec` shares.
  Result<void> prepare(const RenderSpec& spec, const SceneOptions& options, DrawSettings& ds, RenderReport& report) {
    while (glGetError() != GL_NO_ERROR) {
    }
    if (auto ok = ensure_target(spec); !ok) return std::unexpected(ok.error());
    ds.tonemap = spec.tonemap;
    ds.exposure_ev = spec.exposure;
    ds.background = spec.background;
    ds.image_height = spec.height;
    ds.transmission = &transmission_;
    auto t_ibl = Clock::now();
    auto env = options.uniform_environment ? ibl_->get_uniform(*options.uniform_environment)
                                           : ibl_->get(spec.environment);
    if (!env) return std::unexpected(env.error());
    ds.ibl = *env;
    report.times.ibl = ms_since(t_ibl);
    return {};
  }

  // Draws frame `index` and reads it back (premultiplied, bottom up).
  Result<RgbaFrame> draw_one(const Scene& scene, const GlScene& gpu, const RenderSpec& spec, int index,
                             DrawSettings& ds, RenderReport& report) {
    auto view = make_view(scene, spec, index, spec.width, spec.height);
    if (!view) return std::unexpected(view.error());
    ds.view = *view;
    auto t0 = Clock::now();
    target_->bind_for_draw();
    draw_frame(program_, gpu, scene, ds);
    target_->resolve();
    glFinish();
    report.times.draw += ms_since(t0);
    t0 = Clock::now();
    const std::size_t bytes = static_cast<std::size_t>(spec.width) * static_cast<std::size_t>(spec.height) * 4;
    RgbaFrame frame{.width = spec.width, .height = spec.height, .pixels = std::vector<std::uint8_t>(bytes),
                    .bottom_up = true, .premultiplied = true};
    target_->read_rgba(frame.pixels);
    report.times.readback += ms_since(t0);
    if (auto ok = check_gl("drawing"); !ok) return std::unexpected(ok.error());
    return frame;
  }

  Result<RenderReport> draw_frames(const Scene& scene, const GlScene& gpu, const RenderSpec& spec,
                                   const SceneOptions& options, const ProgressFn& progress, RenderReport& report) {
    DrawSettings ds;
    if (auto ok = prepare(spec, options, ds, report); !ok) return std::unexpected(ok.error());
    std::optional<Error> error;
    for (int i = 0; i < spec.frames; ++i) {
      auto frame = draw_one(scene, gpu, spec, i, ds, report);
      if (!frame) {
        error = frame.error();
        break;
      }
      // Encoding runs on the encoder thread while the next frame is drawn.
      encoder_.submit(frame_path(spec, i), std::move(*frame), spec.png_level);
      if (progress) progress(i + 1, spec.frames);
    }
    for (PngEncoder::Done& d : encoder_.wait()) {
      report.times.encode += d.ms;
      if (d.result) {
        report.outputs.push_back(d.path);
      } else if (!error) {
        error = d.result.error();
      }
    }
    if (error) return std::unexpected(*error);
    return std::move(report);
  }

  std::unique_ptr<EglContext> egl_;  // first member: destroyed last, after every GL object
  LogFn log_;
  GlShaderProgram program_;
  std::unique_ptr<IblCache> ibl_;
  std::optional<GlFrameTarget> target_;
  GlTransmissionTarget transmission_;  // made when a scene has transmission
  std::deque<CachedScene> scenes_;
  PngEncoder encoder_;  // last member: joined first
};

}  // namespace

Result<std::unique_ptr<Renderer>> Renderer::create(const DeviceSelector& selector, LogFn log) {
  auto egl = EglContext::create(selector, log);
  if (!egl) return std::unexpected(egl.error());
  auto program = GlShaderProgram::build(shaders::pbr_vert, shaders::pbr_frag);
  if (!program) return std::unexpected(program.error());
  init_draw_state();
  return std::unique_ptr<Renderer>(new GlRenderer(std::move(*egl), std::move(*program), std::move(log)));
}

}  // namespace renderq
