// PreviewArgs: the options of `renderq preview`, as cli/cmd_preview.cpp
// declares them, and run_preview_command, which opens the window with them.
//
// Only renderq-full has `preview` (cli/command_table.hpp): GLFW, libOpenGL
// and X11 stay out of the renderq people type.
#pragma once

#include <optional>

#include "cli/context.hpp"
#include "cli/render_options.hpp"

namespace renderq {

struct PreviewArgs {
  RenderOptionValues values;
  std::optional<int> device;
  bool log_frames = false;
};

// Shows the window until it is closed and returns the exit code; bad
// options (frames, turntable, render values) return their error's code.
int run_preview_command(const PreviewArgs& args, Context& ctx);

}  // namespace renderq
