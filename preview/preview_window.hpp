// The preview window: a GLFW window the size of the image that shows what
// RenderLoop renders and turns mouse and key events into ViewState changes
// (drag: orbit, scroll: zoom, keys: see handle_key in view_state.hpp).
// `p` prints the `renderq submit` line for the current view, and so does
// quitting (q, Escape or closing the window).
//
// Thread-safety: run on the main thread (GLFW's requirement).
#pragma once

#include <functional>
#include <string>

#include "core/error.hpp"
#include "preview/view_state.hpp"
#include "render/renderer.hpp"

namespace renderq {

struct PreviewOptions {
  DeviceSelector device;
  bool log_frames = false;                          // "preview: shown N" on stderr per image shown
  std::function<void(const std::string&)> print;    // receives each submit line
  std::function<void(const std::string&)> log;     // warnings and render errors
};

// Opens the window for spec (its scene is loaded first), runs until the user
// quits. Errc::Unsupported when no window can be opened (no display); the
// renderer's and loader's errors for the first image.
Result<void> run_preview(const RenderSpec& spec, const PreviewOptions& options);

}  // namespace renderq
