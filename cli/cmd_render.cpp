// `renderq render SCENE -o OUT [options]`: renders in this process, without
// the queue, through the same Renderer the daemon uses. Prints each file it
// wrote on stdout; progress and warnings go to stderr.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/render_options.hpp"
#include "render/renderer.hpp"

namespace renderq {

namespace {
struct RenderCommand {
  RenderOptionValues values;
  std::optional<int> device;
  std::optional<int> cuda_device;
  std::string render_node;
  bool quiet = false;
};
}  // namespace

void add_render(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("render", "Render a glTF scene to PNG, JPEG or WebP now, in this process (no queue)");
  // Owned by the callback, so it lives as long as the app (CLI11 binds by reference).
  auto st = std::make_shared<RenderCommand>();
  add_render_options(*cmd, st->values);
  cmd->add_option("--device", st->device, "EGL device index (see `renderq devices`)")->type_name("N");
  cmd->add_option("--cuda-device", st->cuda_device, "The EGL device of this CUDA device id")->type_name("N");
  cmd->add_option("--render-node", st->render_node, "The EGL device of this DRM render node")->type_name("PATH");
  cmd->add_flag("-q,--quiet", st->quiet, "No progress or warnings on stderr");
  cmd->callback([&ctx, st] {
    // Phase 1: the spec, validated before any GL work.
    auto spec = to_spec(st->values);
    if (!spec) {
      ctx.exit_code = report(spec.error());
      return;
    }
    if (auto ok = validate_files(*spec); !ok) {
      ctx.exit_code = report(ok.error());
      return;
    }
    // Phase 2: the device.
    DeviceSelector sel{.index = st->device, .cuda_id = st->cuda_device, .drm_node = st->render_node};
    // The device banner and the loader's notes are held back until the
    // render succeeds: a failed render prints its error alone.
    auto held = std::make_shared<std::vector<std::string>>();
    LogFn log;
    if (!st->quiet) log = [held](std::string_view line) { held->emplace_back(line); };
    // --max-scene-memory (or the config's) is this process's budget: it may
    // raise the default here, where the daemon's workers only lower theirs.
    auto renderer = Renderer::create(sel, log, RendererLimits{.max_scene_memory = spec->max_scene_memory});
    if (!renderer) {
      ctx.exit_code = report(renderer.error());
      return;
    }
    // Phase 3: render, reporting each frame of a sequence.
    ProgressFn progress;
    if (!st->quiet && spec->frames > 1)
      progress = [held](int done, int total) {
        // A frame finished, so the render works: what was held comes first.
        for (const std::string& line : *held) diag(line);
        held->clear();
        diag("frame " + std::to_string(done) + "/" + std::to_string(total));
      };
    auto result = (*renderer)->render(*spec, progress);
    if (!result) {
      ctx.exit_code = report(result.error());
      return;
    }
    for (const std::string& line : *held) diag(line);
    for (const std::string& out : result->outputs) std::printf("%s\n", out.c_str());
    ctx.exit_code = 0;
  });
}

}  // namespace renderq
