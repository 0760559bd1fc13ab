// DeviceInfo and DeviceSelector: how a GPU (or llvmpipe) is described and
// chosen. Shared by the renderer, the daemon's device probe, `renderq
// devices` and the HTTP API, so none of them has to include the renderer's
// facade to talk about a device.
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>

namespace renderq {

struct DeviceInfo {
  int index = -1;                 // EGL device index; -1 = surfaceless fallback
  std::string vendor;             // GL_VENDOR
  std::string renderer;           // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
  std::string gl_version;         // GL_VERSION
  bool software = false;          // EGL_MESA_device_software or llvmpipe
  int max_texture_size = 0;
  int max_samples = 0;
  std::optional<int> cuda_id;     // EGL_CUDA_DEVICE_NV
  std::string drm_node;           // e.g. /dev/dri/renderD128
};

struct DeviceSelector {
  std::optional<int> index;       // EGL device index (--device N)
  std::optional<int> cuda_id;     // match EGL_CUDA_DEVICE_NV
  std::string drm_node;           // match the render node
  // Nothing set: the first hardware device, else software, else surfaceless.
};

}  // namespace renderq
