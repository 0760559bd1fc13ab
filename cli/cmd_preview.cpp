// `renderq preview SCENE [-o OUT] [render options]`: an interactive window on
// the same renderer and options as `render` and `submit`. On `p` and on quit
// it prints the `renderq submit` line for the view on screen (stdout, one line
// each); warnings and errors go to stderr.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "cli/render_options.hpp"
#include "preview/preview_window.hpp"

namespace renderq {

namespace {
struct PreviewCommand {
  RenderOptionValues values;
  std::optional<int> device;
  bool log_frames = false;
};
}  // namespace

void add_preview(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("preview", "Show a scene in a window; print the submit line for the view chosen");
  auto st = std::make_shared<PreviewCommand>();
  add_render_options(*cmd, st->values);
  // The output only appears in the printed submit line: default SCENE's name.
  cmd->get_option("--output")->required(false);
  cmd->add_option("--device", st->device, "EGL device index (see `renderq devices`)")->type_name("N");
  cmd->add_flag("--log-frames", st->log_frames, "Log each image shown on stderr (for scripts and tests)");
  cmd->callback([&ctx, st] {
    RenderOptionValues values = st->values;
    if (values.output.empty()) values.output = std::filesystem::path(values.scene).stem().string() + ".png";
    if (values.frames != 1 || values.turntable) {
      ctx.exit_code = report(Error{Errc::InvalidArgument, "preview shows one frame: drop --frames and --turntable"});
      return;
    }
    auto spec = to_spec(values);
    if (!spec) {
      ctx.exit_code = report(spec.error());
      return;
    }
    PreviewOptions options;
    options.device.index = st->device;
    options.log_frames = st->log_frames;
    options.print = [](const std::string& line) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
    };
    options.log = [](const std::string& line) { diag(line); };
    auto ran = run_preview(*spec, options);
    ctx.exit_code = ran ? 0 : report(ran.error());
  });
}

}  // namespace renderq
