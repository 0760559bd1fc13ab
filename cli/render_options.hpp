// The render options, defined once and shared by `render`, `submit` (and
// later `preview`): they fill a RenderSpec, the same struct the spool stores.
//
// Thread-safety: used from main's thread only.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/render_spec.hpp"

namespace renderq {

// Raw option values as typed, turned into a RenderSpec by to_spec().
struct RenderOptionValues {
  std::string scene;
  std::string output;
  std::string size;
  int samples = 4;
  int scene_index = -1;
  std::string camera;
  std::optional<double> yaw, pitch, distance, fov;
  std::vector<double> target;
  std::string environment;
  double exposure = 0.0;
  std::string tonemap = "pbr-neutral";
  std::string background = "transparent";
  int frames = 1;
  bool turntable = false;
  int png_level = 1;
  int depth = 8;
  std::optional<int> quality;
  // Animation (issue 11).
  std::string animation;
  std::optional<double> time;
  bool animate = false;
  std::optional<double> fps;
  // Scene memory budget (core/memory_budget.hpp): a SIZE, "" = unset.
  std::string max_scene_memory;
};

// Adds SCENE, -o/--output and every render option to `cmd`.
void add_render_options(CLI::App& cmd, RenderOptionValues& values);

// Builds and validates the spec: paths made absolute against the working
// directory, values checked with validate_values(). Files are not checked.
Result<RenderSpec> to_spec(const RenderOptionValues& values);

}  // namespace renderq
