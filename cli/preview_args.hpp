// PreviewArgs: the options of `renderq preview`, as cli/cmd_preview.cpp
// declares them, and run_preview_command, which opens the window with them.
//
// Like run_serve (cli/serve_args.hpp), run_preview_command has two
// definitions and CMake links one into each executable: cli/preview_run.cpp
// (GLFW, libOpenGL, X11) into renderq-full, and cli/preview_exec.cpp (exec
// renderq-full with the same command line) into renderq.
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
