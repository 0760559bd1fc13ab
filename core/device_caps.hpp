// What the devices of a spool's daemon can do, written by the daemon as
// <spool>/devices.json when its workers have their GL contexts, so that
// `submit` can refuse a job no device can render (--samples 16 where every
// device allows 4) instead of failing it later. Versioned JSON:
//   {"version": 1, "devices": [{"device": "llvmpipe (...)", "max_samples": 4}, ...]}
// No file (no daemon ever ran) means nothing is known: submit accepts.
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/render_spec.hpp"

namespace renderq {

struct DeviceCaps {
  std::string device;   // GL_RENDERER
  int max_samples = 0;  // GL_MAX_SAMPLES; 0 = unknown
};

inline constexpr const char* kDeviceCapsFile = "devices.json";

// Writes `caps` to `dir`/devices.json (a temporary file renamed over it, so
// a reader never sees half of it). Errc::Io.
Result<void> write_device_caps(const std::filesystem::path& dir, const std::vector<DeviceCaps>& caps);

// nullopt when the file is missing or unreadable (nothing is known).
std::optional<std::vector<DeviceCaps>> read_device_caps(const std::filesystem::path& dir);

// Errc::SamplesOutOfRange when no device of `caps` allows spec.samples
// (devices of unknown limits allow anything), naming the best one.
Result<void> check_device_caps(const RenderSpec& spec, const std::vector<DeviceCaps>& caps);

}  // namespace renderq
