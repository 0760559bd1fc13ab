// EglContext: the one owner of an EGL display and a desktop OpenGL 4.5+ core
// context with no window and no surface (EGL_KHR_surfaceless_context); all
// drawing goes to framebuffer objects. Devices come from EGL_EXT_device_base /
// _enumeration (NVIDIA advertises only the older umbrella name) opened with
// eglGetPlatformDisplayEXT (the core eglGetPlatformDisplay aborts under
// libepoxy 1.5.10 before any display exists); Mesa's surfaceless platform is
// the fallback when no device can be used.
//
// Thread-safety: an EglContext is current on the thread that created it and
// must be used and destroyed there. Displays are shared per process and
// reference-counted here, so enumerate_devices() may run beside a live
// context; it leaves the calling thread with no current context.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "render/renderer.hpp"

namespace renderq {

class EglContext {
 public:
  // Opens the device chosen by `selector` (see DeviceSelector), creates a
  // GL 4.6 or 4.5 core context (robust access when offered) and makes it
  // current. Errc::EglNoDevice (nothing matches the selector, or no EGL device
  // and no surfaceless platform), Errc::EglInitFailed (eglInitialize or
  // eglMakeCurrent failed), Errc::EglNoGl45 (no desktop GL 4.5 core context).
  static Result<std::unique_ptr<EglContext>> create(const DeviceSelector& selector, const LogFn& log = {});

  // Teardown in order: make-current none, destroy context, terminate.
  ~EglContext();
  EglContext(const EglContext&) = delete;
  EglContext& operator=(const EglContext&) = delete;

  const DeviceInfo& info() const { return info_; }
  // Makes this context current on the calling thread again (another
  // EglContext, e.g. enumerate_devices(), may have replaced it).
  // Errc::EglInitFailed when EGL refuses.
  Result<void> make_current() const;
  bool robust() const { return robust_; }

 private:
  friend struct EglContextBuilder;
  EglContext() = default;
  void* display_ = nullptr;  // EGLDisplay
  void* context_ = nullptr;  // EGLContext
  void* surface_ = nullptr;  // EGLSurface: a 1x1 pbuffer only without surfaceless support
  DeviceInfo info_;
  bool robust_ = false;
};

}  // namespace renderq
