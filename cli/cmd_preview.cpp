// `renderq preview SCENE [-o OUT] [render options]`: an interactive window on
// the same renderer and options as `render` and `submit`. On `p` and on quit
// it prints the `renderq submit` line for the view on screen (stdout, one line
// each); warnings and errors go to stderr. This file declares the options;
// cli/preview_args.hpp says which run_preview_command runs them.
#include <memory>

#include "cli/commands.hpp"
#include "cli/preview_args.hpp"

namespace renderq {

void add_preview(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("preview", "Show a scene in a window; print the submit line for the view chosen");
  auto st = std::make_shared<PreviewArgs>();
  add_render_options(*cmd, st->values);
  // The output only appears in the printed submit line: default SCENE's name.
  cmd->get_option("--output")->required(false);
  cmd->add_option("--device", st->device, "EGL device index (see `renderq devices`)")->type_name("N");
  cmd->add_flag("--log-frames", st->log_frames, "Log each image shown on stderr (for scripts and tests)");
  cmd->callback([&ctx, st] { ctx.exit_code = run_preview_command(*st, ctx); });
}

}  // namespace renderq
