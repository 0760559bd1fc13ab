#include "ibl_gl_context.hpp"

#include <epoxy/egl.h>
#include <epoxy/gl.h>

#include <cstdlib>

namespace renderq::testing {

std::unique_ptr<GlTestContext> GlTestContext::create(std::string* why) {
  auto fail = [why](const char* what) -> std::unique_ptr<GlTestContext> {
    if (why) *why = what;
    return nullptr;
  };
  // The EXT entry point: with libepoxy 1.5.10 the core one aborts before a
  // display exists (shared/notes/headless-egl.md).
  EGLDisplay display =
      eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (display == EGL_NO_DISPLAY) return fail("no surfaceless EGL display");
  EGLint major = 0, minor = 0;
  if (!eglInitialize(display, &major, &minor)) return fail("eglInitialize failed");
  std::unique_ptr<GlTestContext> ctx(new GlTestContext);
  ctx->display_ = display;
  if (!eglBindAPI(EGL_OPENGL_API)) return fail("eglBindAPI(GL) failed");
  const EGLint config_attrs[] = {EGL_SURFACE_TYPE, 0, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                                 EGL_NONE};
  EGLConfig config = nullptr;
  EGLint count = 0;
  if (!eglChooseConfig(display, config_attrs, &config, 1, &count) || count < 1) {
    return fail("no EGL config for desktop GL");
  }
  const EGLint context_attrs[] = {EGL_CONTEXT_MAJOR_VERSION, 4, EGL_CONTEXT_MINOR_VERSION, 5,
                                  EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                  EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
  EGLContext context = eglCreateContext(display, config, EGL_NO_CONTEXT, context_attrs);
  if (context == EGL_NO_CONTEXT) return fail("no GL 4.5 core context");
  ctx->context_ = context;
  if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
    return fail("eglMakeCurrent failed");
  }
  return ctx;
}

GlTestContext::~GlTestContext() {
  if (display_ == nullptr) return;
  eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  if (context_ != nullptr) eglDestroyContext(display_, context_);
  eglTerminate(display_);
}

std::string GlTestContext::renderer() const {
  const auto* s = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  return s ? s : "";
}

}  // namespace renderq::testing
