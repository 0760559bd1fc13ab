// ViewState: what the preview window shows, as a RenderSpec, and how input
// changes it (drag to orbit, scroll to zoom, keys for environment, tone
// mapping and exposure). Pure logic, no window: unit-tested on its own, and
// the window (preview_window.cpp) only translates GLFW events into these calls.
//
// The spec's orbit is always fully resolved (yaw, pitch, distance, target and
// fov set), so submit_args() prints every value the image depends on and the
// daemon renders exactly what the window showed, whatever its defaults.
//
// Thread-safety: plain values.
#pragma once

#include <string>
#include <vector>

#include "core/render_spec.hpp"

namespace renderq {

struct ViewState {
  RenderSpec spec;                        // frames == 1; orbit fully resolved
  OrbitCamera home;                       // the view at start, for reset
  std::vector<std::string> environments;  // "" = built-in studio, then .hdr paths
  std::size_t env_index = 0;
};

// REQUIRES: spec.orbit fully resolved (see resolve_orbit in render/camera.hpp).
// Environments offered: the built-in studio, spec.environment when set, and
// the other .hdr files in its folder (sorted), starting at spec.environment.
ViewState make_view_state(const RenderSpec& spec);

// Orbit by a mouse drag of (dx, dy) pixels: a drag across the window's height
// turns 180 degrees. Pitch stays within the spec's limits.
void orbit_drag(ViewState& s, double dx_px, double dy_px, int window_height);

// Zoom by scroll steps: each step up moves 10% closer.
void zoom(ViewState& s, double steps);

enum class PreviewAction {
  None,
  Redraw,       // the spec changed
  PrintSubmit,  // print submit_args()
  Quit,         // print submit_args() and close
};

// Keys (GLFW-independent names): 'e' next environment, 't' next tone
// mapping, '+'/'-' exposure +-0.5 EV, '0' exposure 0, 'r' reset the view,
// 'p' print, 'q' or escape (27) quit.
PreviewAction handle_key(ViewState& s, int key);

// The `renderq submit` command line for the current view, shell-quoted:
// scene, -o, and every option the image depends on, numbers printed so they
// read back to the same double.
std::string submit_args(const RenderSpec& spec);

}  // namespace renderq
