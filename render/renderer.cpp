// The EGL + OpenGL implementation of Renderer: one context, its caches
// (shader programs, texture caches, frame target, read-back ring, uploaded
// scenes) and the encoder thread pool.
#include "render/renderer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <optional>

#include "core/memory_budget.hpp"
#include "render/camera.hpp"
#include "render/color.hpp"
#include "render/egl_context.hpp"
#include "render/encoder_pool.hpp"
#include "render/gl_draw.hpp"
#include "render/gl_framebuffer.hpp"
#include "render/gl_readback.hpp"
#include "render/gl_scene.hpp"
#include "render/ibl.hpp"
#include "gltf/pose.hpp"
#include "gltf/scene.hpp"
#include "render/frame.hpp"
#include "render/output_writer.hpp"
#include "render/pbr_programs.hpp"
#include "render/texture_cache.hpp"

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

// Content-keyed texture caches (render/texture_cache.hpp): what a worker keeps
// of textures no cached scene uses any more, so the next job with the same
// images pays neither decoding nor uploading. 512 MiB of GL textures (with
// mipmaps) holds about 30 2048² textures; the decoded copies are only needed
// for a colour space not yet uploaded, so they get less.
constexpr std::size_t kUploadedTextureBytes = std::size_t{512} << 20;
constexpr std::size_t kDecodedImageBytes = std::size_t{128} << 20;

// Read-back buffers in flight: the device may be two frames ahead of the one
// being mapped. More buys nothing while the draw is the slowest stage.
constexpr int kReadbackSlots = 3;
// Frames in host memory stay within the budget check_frame assumed (a
// read-back copy and an encoder copy) once frames are large: past
// kPipelinedFrameBytes one read-back buffer, and the frames handed to the
// encoders (queued or running) hold at most kEncoderQueueBytes, or one frame.
constexpr std::size_t kPipelinedFrameBytes = std::size_t{64} << 20;
constexpr std::size_t kEncoderQueueBytes = std::size_t{512} << 20;

std::size_t frame_bytes(const RenderSpec& spec) {
  return static_cast<std::size_t>(spec.width) * static_cast<std::size_t>(spec.height) * (spec.depth == 16 ? 8 : 4);
}

class GlRenderer final : public Renderer {
 public:
  GlRenderer(std::unique_ptr<EglContext> egl, PbrPrograms programs, LogFn log, RendererLimits limits)
      : egl_(std::move(egl)),
        log_(std::move(log)),
        budget_(limits.max_scene_memory),
        programs_(std::move(programs)),
        ibl_(std::make_unique<IblCache>(ibl_cache_dir(), log_)),
        encoder_(limits.encoder_threads > 0 ? limits.encoder_threads : default_encoder_threads()) {}

  // GL objects are deleted by the members' destructors: the context must be
  // current for them, whatever another EglContext did to this thread.
  ~GlRenderer() override { (void)egl_->make_current(); }

  const DeviceInfo& device() const override { return egl_->info(); }

  Result<RenderReport> render(const RenderSpec& spec, const ProgressFn& progress, std::string_view stage) override {
    if (auto ok = egl_->make_current(); !ok) return std::unexpected(ok.error());
    if (auto ok = validate_values(spec); !ok) return std::unexpected(ok.error());
    if (auto ok = validate_files(spec); !ok) return std::unexpected(ok.error());
    // Device limits and the memory budget before the scene is even loaded.
    if (auto ok = check_frame(spec.width, spec.height, spec.samples, device()); !ok) return std::unexpected(ok.error());
    RenderReport report;
    auto entry = cached_scene(spec, report);
    if (!entry) return std::unexpected(entry.error());
    return draw_frames(*(*entry)->scene, *(*entry)->gpu, spec, SceneOptions{}, progress, report, *entry, stage);
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
    if (auto ok = pose_frame(**entry, spec, 0); !ok) return std::unexpected(ok.error());
    auto frame = draw_one(*(*entry)->scene, *(*entry)->gpu, spec, 0, ds, report);
    if (!frame) return std::unexpected(frame.error());
    // What the encoder does before writing: straight alpha, rows top down (a
    // 16-bit frame shown at 8 bits).
    StraightImage straight = to_depth8(to_straight(std::move(*frame)));
    RgbaImage image{.width = spec.width, .height = spec.height, .rgba = std::move(straight.rgba8)};
    if (report_out) *report_out = std::move(report);
    return image;
  }

  Result<OrbitCamera> resolved_orbit(const RenderSpec& spec) override {
    if (auto ok = egl_->make_current(); !ok) return std::unexpected(ok.error());
    RenderReport report;
    auto entry = cached_scene(spec, report);
    if (!entry) return std::unexpected(entry.error());
    if (auto ok = pose_frame(**entry, spec, 0); !ok) return std::unexpected(ok.error());
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

  // The budget a load for `spec` gets: the renderer's, or the spec's when lower.
  std::uint64_t scene_memory_limit(const RenderSpec& spec) const {
    return spec.max_scene_memory != 0 ? std::min(spec.max_scene_memory, budget_.limit()) : budget_.limit();
  }

  static std::string cache_key(const RenderSpec& spec) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto mtime = fs::last_write_time(spec.scene, ec).time_since_epoch().count();
    auto size = fs::file_size(spec.scene, ec);
    return spec.scene + '\n' + std::to_string(spec.scene_index) + '\n' + std::to_string(mtime) + '\n' +
           std::to_string(size);
  }

  // Poses a cached scene for frame `index` of `spec` (the rest pose when the
  // spec asks for no animation) and re-uploads the vertices that moved.
  // The CPU poses (gltf/pose.hpp), so the draw path stays the static one.
  Result<void> pose_frame(CachedScene& c, const RenderSpec& spec, int index) {
    if (!scene_is_posable(*c.scene) && spec.animation.empty() && !spec.time && !spec.animate) return {};
    auto req = frame_pose(*c.scene, spec, index);
    if (!req) return std::unexpected(req.error());
    if (auto ok = pose_scene(*c.scene, *req); !ok) return std::unexpected(ok.error());
    c.gpu->update_deformed(*c.scene);
    return {};
  }

  Result<CachedScene*> cached_scene(const RenderSpec& spec, RenderReport& report) {
    std::string key = cache_key(spec);
    for (CachedScene& c : scenes_)
      if (c.key == key) return &c;
    auto t0 = Clock::now();
    LoadOptions lo;
    lo.scene_index = spec.scene_index;
    lo.decoded_images = &decoded_images_;
    lo.uploaded = [this](std::uint64_t hash, bool srgb) { return textures_.contains(TextureKey{hash, srgb}); };
    lo.log = [&](std::string_view line) {
      report.warnings.emplace_back(line);
      if (log_) log_(line);
    };
    // A job may lower the renderer's budget, never raise it.
    std::optional<MemoryBudget> job_budget;
    lo.budget = &budget_;
    if (spec.max_scene_memory != 0 && spec.max_scene_memory < budget_.limit())
      lo.budget = &job_budget.emplace(spec.max_scene_memory);
    auto loaded = load_gltf(spec.scene, lo);  // never throws std::bad_alloc: out_of_memory
    if (!loaded) return std::unexpected(loaded.error());
    report.times.decode = loaded->times.decode_ms;
    report.times.load = ms_since(t0) - loaded->times.decode_ms;
    for (const std::string& w : loaded->warnings) report.warnings.push_back(w);
    CachedScene entry;
    entry.key = key;
    entry.scene = std::make_unique<Scene>(std::move(*loaded));
    t0 = Clock::now();
    // The upload's host copies (mipmaps, interleaved vertices) can still
    // run out; nothing is cached yet, so that is a plain failure.
    Result<GlScene> gpu = fail(Errc::Internal);
    try {
      gpu = GlScene::upload(*entry.scene, &textures_);
    } catch (const std::bad_alloc&) {
      return fail(Errc::OutOfMemory, spec.scene + ": out of memory while uploading the scene");
    }
    if (!gpu) return std::unexpected(gpu.error());
    glFinish();
    report.times.upload = ms_since(t0);
    report.times.textures_cached = gpu->cached_textures();
    // The GPU has the textures and the content caches the decoded copies:
    // the scene's own pixels are not read again.
    for (Image& image : entry.scene->images) std::vector<std::uint8_t>().swap(image.rgba);
    entry.gpu.emplace(std::move(*gpu));
    if (scenes_.size() == kSceneCacheSize) scenes_.pop_front();
    scenes_.push_back(std::move(entry));
    return &scenes_.back();
  }

  Result<void> ensure_target(const RenderSpec& spec) {
    if (target_ && target_->width() == spec.width && target_->height() == spec.height &&
        target_->samples() == spec.samples && target_->bits() == spec.depth)
      return {};
    target_.reset();  // free the old one before allocating the new
    auto t = GlFrameTarget::create(spec.width, spec.height, spec.samples, device(), spec.depth);
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
    ds.deferred = &deferred_;
    auto t_ibl = Clock::now();
    auto env = options.uniform_environment ? ibl_->get_uniform(*options.uniform_environment)
                                           : ibl_->get(spec.environment, scene_memory_limit(spec));
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
    draw_frame(programs_, gpu, scene, ds);
    target_->resolve();
    glFinish();
    report.times.draw += ms_since(t0);
    t0 = Clock::now();
    const std::size_t values = static_cast<std::size_t>(spec.width) * static_cast<std::size_t>(spec.height) * 4;
    RgbaFrame frame{.width = spec.width, .height = spec.height, .bottom_up = true, .premultiplied = true};
    if (target_->bits() == 16) {  // 16-bit PNG: linear RGBA16 target (render/frame.hpp converts)
      frame.depth = 16;
      frame.pixels16.resize(values);
      target_->read_rgba16(frame.pixels16);
    } else {
      frame.pixels.resize(values);
      target_->read_rgba(frame.pixels);
    }
    report.times.readback += ms_since(t0);
    if (auto ok = check_gl("drawing"); !ok) return std::unexpected(ok.error());
    return frame;
  }

  // The read-back ring for this size, kept across jobs like the target.
  Result<void> ensure_readback(const RenderSpec& spec) {
    if (readback_ && readback_->width() == spec.width && readback_->height() == spec.height) return {};
    readback_.reset();
    const int slots = frame_bytes(spec) > kPipelinedFrameBytes ? 1 : kReadbackSlots;
    auto r = GlReadback::create(spec.width, spec.height, slots, !device().software);
    if (!r) return std::unexpected(r.error());
    readback_.emplace(std::move(*r));
    return {};
  }

  // The pipeline: frame i is drawn and its read-back queued without waiting;
  // when the ring is full the oldest frame is mapped and handed to the
  // encoder pool, while the device works on the newer ones. Encoders finish
  // in any order; progress counts only frames encoded in order (0..N-1), so
  // what the worker reports always exists (an animation's one file is written
  // by OutputWriter::finish after the last frame). On a failure queued
  // encodes are dropped, running ones finish, nothing is left half-written
  // (files are written to a temporary name and renamed), and the frames
  // already written are removed: a failed job leaves no partial sequence. A
  // 16-bit frame is read back synchronously (the ring reads RGBA8) and
  // handed to the same pool.
  // `posed`: the cached scene to pose per frame (nullptr: draw `scene` as it is).
  // `stage`: the files go to their staged names (OutputWriter).
  Result<RenderReport> draw_frames(const Scene& scene, const GlScene& gpu, const RenderSpec& spec,
                                   const SceneOptions& options, const ProgressFn& progress, RenderReport& report,
                                   CachedScene* posed = nullptr, std::string_view stage = {}) {
    const auto t_wall = Clock::now();
    DrawSettings ds;
    if (auto ok = prepare(spec, options, ds, report); !ok) return std::unexpected(ok.error());
    if (auto ok = ensure_readback(spec); !ok) return std::unexpected(ok.error());
    auto made = OutputWriter::create(spec, std::string(stage));
    if (!made) return std::unexpected(made.error());
    OutputWriter* writer = made->get();  // outlives every task: wait_all() runs before it dies
    std::optional<Error> error;
    InOrderFrames order(spec.frames);
    std::vector<bool> written(static_cast<std::size_t>(spec.frames), false);
    int reported = 0;
    auto collect = [&](std::vector<EncoderPool::Done> done) {
      for (EncoderPool::Done& d : done) {
        report.times.encode += d.ms;
        if (d.result) {
          written[static_cast<std::size_t>(d.index)] = true;
          order.complete(d.index);
        } else if (!error) {
          error = d.result.error();
        }
      }
      // One call per frame, in order, even when several finished at once.
      while (!error && progress && reported < order.in_order()) progress(++reported, spec.frames);
    };
    // At most two frames per encoder thread wait in memory (fewer when they
    // are large); past that the GL thread waits for an encoder.
    const std::size_t max_queued = std::clamp<std::size_t>(kEncoderQueueBytes / frame_bytes(spec), 1,
                                                           2 * static_cast<std::size_t>(encoder_.threads()));
    // The one call that encodes a frame (into its file, or into the animation).
    auto submit_frame = [&](int index, RgbaFrame frame) {
      encoder_.submit(index, [writer, index, frame = std::move(frame)]() mutable {
        return writer->add_frame(index, std::move(frame));
      });
    };
    auto hand_over = [&](GlReadback::Frame f) {
      report.times.readback += f.copy_ms + f.device_read_ms;
      if (device().software) {
        // No trustworthy device clock: the GL thread waiting for the fence
        // is the rasterizer threads finishing the draw.
        report.times.draw += f.wait_ms;
      } else {
        report.times.draw += f.device_draw_ms;
        report.times.wait += f.wait_ms;
      }
      while (encoder_.outstanding() >= max_queued) {
        auto t0 = Clock::now();
        collect(encoder_.wait_any());
        report.times.wait += ms_since(t0);
      }
      RgbaFrame frame{.width = spec.width, .height = spec.height, .pixels = std::move(f.pixels), .bottom_up = true,
                      .premultiplied = true};
      submit_frame(f.index, std::move(frame));
    };
    auto finish_oldest = [&]() -> bool {
      auto f = readback_->finish_oldest();
      if (!f) {
        error = f.error();
        return false;
      }
      hand_over(std::move(*f));
      return true;
    };
    // Poses the scene for frame i (the CPU poses; the vertices that moved are
    // re-uploaded), then the frame is drawn.
    auto pose = [&](int i) -> bool {
      if (auto ok = posed ? pose_frame(*posed, spec, i) : Result<void>{}; !ok) {
        error = ok.error();
        return false;
      }
      return true;
    };
    for (int i = 0; i < spec.frames && !error && spec.depth == 16; ++i) {
      if (!pose(i)) break;
      auto frame = draw_one(scene, gpu, spec, i, ds, report);
      if (!frame) {
        error = frame.error();
        break;
      }
      while (encoder_.outstanding() >= max_queued) collect(encoder_.wait_any());
      submit_frame(i, std::move(*frame));
      collect(encoder_.poll());
    }
    for (int i = 0; i < spec.frames && !error && spec.depth != 16; ++i) {
      if (readback_->full() && (!finish_oldest() || error)) break;
      if (!pose(i)) break;
      auto view = make_view(scene, spec, i, spec.width, spec.height);
      if (!view) {
        error = view.error();
        break;
      }
      ds.view = *view;
      auto t0 = Clock::now();
      readback_->begin_draw();
      target_->bind_for_draw();
      draw_frame(programs_, gpu, scene, ds);
      target_->resolve();
      readback_->start(*target_, i);
      report.times.draw += ms_since(t0);
      if (auto ok = check_gl("drawing"); !ok) {
        error = ok.error();
        break;
      }
      collect(encoder_.poll());
    }
    while (!error && !readback_->empty() && finish_oldest()) {
    }
    if (error) {
      readback_->discard();
      (void)encoder_.drop_queued();
    }
    collect(encoder_.wait_all());
    if (!error) {
      auto t0 = Clock::now();
      auto files = writer->finish();  // an animation is written here
      report.times.encode += ms_since(t0);
      if (files) report.outputs = std::move(*files);
      else error = files.error();
    } else {
      // A failed job leaves no partial sequence: the frames it wrote go too
      // (each was renamed into place whole, so each is ours to remove).
      for (int i = 0; i < spec.frames; ++i) {
        if (!written[static_cast<std::size_t>(i)]) continue;
        std::error_code ec;
        std::filesystem::remove(writer->written_path(i), ec);
      }
    }
    report.times.frames = spec.frames;
    report.times.encoder_threads = encoder_.threads();
    report.times.wall = ms_since(t_wall);
    if (error) return std::unexpected(*error);
    return std::move(report);
  }

  std::unique_ptr<EglContext> egl_;  // first member: destroyed last, after every GL object
  LogFn log_;
  MemoryBudget budget_;  // what every load takes from (RendererLimits)
  PbrPrograms programs_;
  std::unique_ptr<IblCache> ibl_;
  GlTextureCache textures_{kUploadedTextureBytes};
  DecodedImageCache decoded_images_{kDecodedImageBytes};
  std::optional<GlFrameTarget> target_;
  std::optional<GlReadback> readback_;
  GlTransmissionTarget transmission_;  // made when a scene has transmission
  GlDeferredTarget deferred_{egl_->info().software};  // made when a frame is drawn deferred
  std::deque<CachedScene> scenes_;
  EncoderPool encoder_;  // last member: joined first
};

}  // namespace

Result<std::unique_ptr<Renderer>> Renderer::create(const DeviceSelector& selector, LogFn log, RendererLimits limits) {
  auto egl = EglContext::create(selector, log);
  if (!egl) return std::unexpected(egl.error());
  auto programs = PbrPrograms::create();
  if (!programs) return std::unexpected(programs.error());
  init_draw_state();
  return std::unique_ptr<Renderer>(new GlRenderer(std::move(*egl), std::move(*programs), std::move(log), limits));
}

}  // namespace renderq
