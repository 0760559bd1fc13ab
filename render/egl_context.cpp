#include "render/egl_context.hpp"

#include <epoxy/egl.h>
#include <epoxy/gl.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>

namespace renderq {
namespace {

// libepoxy 1.5.10's headers predate this token (EGL_EXT_device_drm_render_node).
constexpr EGLint kDrmRenderNodeFile = 0x3377;

bool has_extension(const char* list, std::string_view name) {
  if (list == nullptr) return false;
  std::string_view rest(list);
  while (!rest.empty()) {
    std::size_t end = rest.find(' ');
    if (rest.substr(0, end) == name) return true;
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return false;
}

std::string egl_error_name(EGLint e) {
  switch (e) {
    case EGL_SUCCESS: return "EGL_SUCCESS";
    case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
    case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS";
    case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
    case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
    case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG";
    case EGL_BAD_CONTEXT: return "EGL_BAD_CONTEXT";
    case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
    case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
    case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER";
    case EGL_BAD_SURFACE: return "EGL_BAD_SURFACE";
    default: return "EGL error " + std::to_string(e);
  }
}

// One EGL device as enumerated, before any display is opened on it.
struct Candidate {
  EGLDeviceEXT device = EGL_NO_DEVICE_EXT;  // EGL_NO_DEVICE_EXT = surfaceless platform
  int index = -1;
  bool software = false;
  std::optional<int> cuda_id;
  std::string drm_node;  // render node where known, else the primary node
};

std::vector<Candidate> list_devices(const LogFn& log) {
  std::vector<Candidate> out;
  const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  bool can_enumerate = has_extension(client, "EGL_EXT_device_enumeration") ||
                       has_extension(client, "EGL_EXT_device_base");
  if (!can_enumerate || !has_extension(client, "EGL_EXT_platform_device")) {
    if (log) log("EGL device enumeration not offered; trying the surfaceless platform");
    return out;
  }
  EGLint count = 0;
  if (!eglQueryDevicesEXT(0, nullptr, &count) || count <= 0) return out;
  std::vector<EGLDeviceEXT> devices(static_cast<std::size_t>(count));
  if (!eglQueryDevicesEXT(count, devices.data(), &count)) return out;
  devices.resize(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    Candidate c;
    c.device = devices[static_cast<std::size_t>(i)];
    c.index = i;
    const char* ext = eglQueryDeviceStringEXT(c.device, EGL_EXTENSIONS);
    c.software = has_extension(ext, "EGL_MESA_device_software");
    if (has_extension(ext, "EGL_NV_device_cuda")) {
      EGLAttrib value = 0;
      if (eglQueryDeviceAttribEXT(c.device, EGL_CUDA_DEVICE_NV, &value)) c.cuda_id = static_cast<int>(value);
    }
    const char* node = nullptr;
    if (has_extension(ext, "EGL_EXT_device_drm_render_node")) node = eglQueryDeviceStringEXT(c.device, kDrmRenderNodeFile);
    if (node == nullptr && has_extension(ext, "EGL_EXT_device_drm"))
      node = eglQueryDeviceStringEXT(c.device, EGL_DRM_DEVICE_FILE_EXT);
    if (node != nullptr) c.drm_node = node;
    out.push_back(std::move(c));
  }
  return out;
}

std::string gl_string(GLenum name) {
  const GLubyte* s = glGetString(name);
  return s ? std::string(reinterpret_cast<const char*>(s)) : std::string();
}

// The largest MSAA count both attachments of our framebuffers support.
int max_fbo_samples() {
  GLint max_samples = 0;
  glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
  int result = max_samples;
  for (GLenum format : {GL_SRGB8_ALPHA8, GL_DEPTH24_STENCIL8}) {
    GLint n = 0;
    glGetInternalformativ(GL_RENDERBUFFER, format, GL_NUM_SAMPLE_COUNTS, 1, &n);
    if (n <= 0) continue;
    std::vector<GLint> counts(static_cast<std::size_t>(n));
    glGetInternalformativ(GL_RENDERBUFFER, format, GL_SAMPLES, n, counts.data());
    result = std::min(result, *std::max_element(counts.begin(), counts.end()));
  }
  return std::max(result, 1);
}

// EGL displays are per process: every eglGetPlatformDisplayEXT for one device
// returns the same handle, and eglTerminate ends it for every user. Count the
// owners so the last one terminates.
std::mutex g_display_mu;
std::map<EGLDisplay, int> g_display_users;

void add_display_user(EGLDisplay d) {
  std::lock_guard lock(g_display_mu);
  ++g_display_users[d];
}

bool drop_display_user(EGLDisplay d) {  // true when the caller was the last
  std::lock_guard lock(g_display_mu);
  auto it = g_display_users.find(d);
  if (it == g_display_users.end()) return true;
  if (--it->second > 0) return false;
  g_display_users.erase(it);
  return true;
}

}  // namespace

// Opens `c`'s display and creates the context on it; fills `ctx`. On failure
// `ctx`'s destructor releases whatever was made.
struct EglContextBuilder {
  static Result<DeviceInfo> probe(const Candidate& c) {
    std::unique_ptr<EglContext> ctx(new EglContext());
    auto ok = open(*ctx, c, {});
    if (!ok) return std::unexpected(ok.error());
    return ctx->info();
  }

  static Result<void> open(EglContext& ctx, const Candidate& c, const LogFn& log) {
    EGLDisplay dpy = EGL_NO_DISPLAY;
    if (c.device != EGL_NO_DEVICE_EXT) {
      dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT, c.device, nullptr);
    } else {
      const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
      if (!has_extension(client, "EGL_MESA_platform_surfaceless"))
        return fail(Errc::EglNoDevice, "no EGL device and no EGL_MESA_platform_surfaceless");
      dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    }
    std::string where = c.index >= 0 ? "EGL device " + std::to_string(c.index) : std::string("surfaceless platform");
    if (dpy == EGL_NO_DISPLAY) return fail(Errc::EglInitFailed, "no EGL display for " + where + ": " + egl_error_name(eglGetError()));
    EGLint major = 0, minor = 0;
    if (!eglInitialize(dpy, &major, &minor))
      return fail(Errc::EglInitFailed, "eglInitialize failed on " + where + ": " + egl_error_name(eglGetError()));
    ctx.display_ = dpy;
    add_display_user(dpy);
    const char* ext = eglQueryString(dpy, EGL_EXTENSIONS);
    if (!eglBindAPI(EGL_OPENGL_API)) return fail(Errc::EglNoGl45, where + " offers no desktop OpenGL");

    bool surfaceless = has_extension(ext, "EGL_KHR_surfaceless_context");
    EGLConfig config = EGL_NO_CONFIG_KHR;
    if (!(surfaceless && has_extension(ext, "EGL_KHR_no_config_context"))) {
      const EGLint want[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_SURFACE_TYPE, surfaceless ? 0 : EGL_PBUFFER_BIT,
                             EGL_NONE};
      EGLint n = 0;
      if (!eglChooseConfig(dpy, want, &config, 1, &n) || n < 1)
        return fail(Errc::EglNoGl45, where + " has no EGL config for desktop OpenGL");
    }

    // Robust access with lose-context-on-reset, so a GPU reset surfaces as
    // glGetGraphicsResetStatus instead of a hang; retried without when refused.
    bool egl15 = major > 1 || (major == 1 && minor >= 5);
    bool robust_ok = egl15 || has_extension(ext, "EGL_EXT_create_context_robustness");
    const EGLint robust_access = egl15 ? EGL_CONTEXT_OPENGL_ROBUST_ACCESS : EGL_CONTEXT_OPENGL_ROBUST_ACCESS_EXT;
    const EGLint reset_strategy =
        egl15 ? EGL_CONTEXT_OPENGL_RESET_NOTIFICATION_STRATEGY : EGL_CONTEXT_OPENGL_RESET_NOTIFICATION_STRATEGY_EXT;
    EGLContext context = EGL_NO_CONTEXT;
    std::string tried;
    for (int gl_minor : {6, 5}) {
      for (bool robust : {true, false}) {
        if (robust && !robust_ok) continue;
        std::vector<EGLint> attribs = {EGL_CONTEXT_MAJOR_VERSION, 4, EGL_CONTEXT_MINOR_VERSION, gl_minor,
                                       EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT};
        if (robust) attribs.insert(attribs.end(), {robust_access, EGL_TRUE, reset_strategy, EGL_LOSE_CONTEXT_ON_RESET});
        attribs.push_back(EGL_NONE);
        context = eglCreateContext(dpy, config, EGL_NO_CONTEXT, attribs.data());
        if (context != EGL_NO_CONTEXT) {
          ctx.robust_ = robust;
          break;
        }
        tried += " 4." + std::to_string(gl_minor) + (robust ? " robust" : "") + ": " + egl_error_name(eglGetError()) + ";";
      }
      if (context != EGL_NO_CONTEXT) break;
    }
    if (context == EGL_NO_CONTEXT) return fail(Errc::EglNoGl45, where + ": no OpenGL 4.5 core context (" + tried + ")");
    ctx.context_ = context;

    if (!surfaceless) {
      // Only where surfaceless contexts are missing: a 1x1 pbuffer just to be
      // current; jobs never draw to it.
      const EGLint pb[] = {EGL_WIDTH, 1, EGL_HEIGHT, 1, EGL_NONE};
      EGLSurface s = eglCreatePbufferSurface(dpy, config, pb);
      if (s == EGL_NO_SURFACE) return fail(Errc::EglInitFailed, where + ": eglCreatePbufferSurface failed");
      ctx.surface_ = s;
    }
    EGLSurface surface = ctx.surface_ ? static_cast<EGLSurface>(ctx.surface_) : EGL_NO_SURFACE;
    if (!eglMakeCurrent(dpy, surface, surface, context))
      return fail(Errc::EglInitFailed, where + ": eglMakeCurrent failed: " + egl_error_name(eglGetError()));

    GLint gl_major = 0, gl_minor_v = 0;
    glGetIntegerv(GL_MAJOR_VERSION, &gl_major);
    glGetIntegerv(GL_MINOR_VERSION, &gl_minor_v);
    if (gl_major < 4 || (gl_major == 4 && gl_minor_v < 5))
      return fail(Errc::EglNoGl45, where + " gives OpenGL " + std::to_string(gl_major) + "." + std::to_string(gl_minor_v));

    DeviceInfo& info = ctx.info_;
    info.index = c.index;
    info.vendor = gl_string(GL_VENDOR);
    info.renderer = gl_string(GL_RENDERER);
    info.gl_version = gl_string(GL_VERSION);
    info.software = c.software || info.renderer.find("llvmpipe") != std::string::npos ||
                    info.renderer.find("softpipe") != std::string::npos;
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &info.max_texture_size);
    info.max_samples = max_fbo_samples();
    info.cuda_id = c.cuda_id;
    info.drm_node = c.drm_node;
    if (log) log("EGL " + std::to_string(major) + "." + std::to_string(minor) + " on " + where + ": " + info.renderer +
                 ", OpenGL " + info.gl_version + (ctx.robust_ ? ", robust access" : ""));
    return {};
  }
};

Result<std::unique_ptr<EglContext>> EglContext::create(const DeviceSelector& selector, const LogFn& log) {
  std::vector<Candidate> devices = list_devices(log);
  std::vector<const Candidate*> order;
  bool explicit_choice = selector.index || selector.cuda_id || !selector.drm_node.empty();
  if (explicit_choice) {
    for (const Candidate& c : devices) {
      if (selector.index && c.index != *selector.index) continue;
      if (selector.cuda_id && c.cuda_id != selector.cuda_id) continue;
      if (!selector.drm_node.empty() && c.drm_node != selector.drm_node) continue;
      order.push_back(&c);
    }
    if (order.empty()) {
      std::string what = selector.index ? "index " + std::to_string(*selector.index)
                         : selector.cuda_id ? "CUDA id " + std::to_string(*selector.cuda_id)
                                            : "render node " + selector.drm_node;
      return fail(Errc::EglNoDevice, "no EGL device with " + what + " (" + std::to_string(devices.size()) +
                                         " device(s); see `renderq devices`)");
    }
  } else {
    // Hardware first, then software devices, then the surfaceless platform.
    for (const Candidate& c : devices)
      if (!c.software) order.push_back(&c);
    for (const Candidate& c : devices)
      if (c.software) order.push_back(&c);
  }
  static const Candidate kSurfaceless{};
  if (!explicit_choice) order.push_back(&kSurfaceless);

  Error last{Errc::EglNoDevice, "no EGL device found"};
  for (const Candidate* c : order) {
    std::unique_ptr<EglContext> ctx(new EglContext());
    auto ok = EglContextBuilder::open(*ctx, *c, log);
    if (ok) return ctx;
    last = ok.error();
    if (log) log(last.message());
  }
  return std::unexpected(last);
}

Result<void> EglContext::make_current() const {
  auto dpy = static_cast<EGLDisplay>(display_);
  auto surface = surface_ ? static_cast<EGLSurface>(surface_) : EGL_NO_SURFACE;
  if (eglGetCurrentContext() == static_cast<EGLContext>(context_)) return {};
  if (!eglMakeCurrent(dpy, surface, surface, static_cast<EGLContext>(context_)))
    return fail(Errc::EglInitFailed, "eglMakeCurrent failed: " + egl_error_name(eglGetError()));
  return {};
}

EglContext::~EglContext() {
  auto dpy = static_cast<EGLDisplay>(display_);
  if (dpy == EGL_NO_DISPLAY) return;
  eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  if (context_) eglDestroyContext(dpy, static_cast<EGLContext>(context_));
  if (surface_) eglDestroySurface(dpy, static_cast<EGLSurface>(surface_));
  if (drop_display_user(dpy)) eglTerminate(dpy);
}

Result<std::vector<DeviceInfo>> enumerate_devices() {
  std::vector<Candidate> devices = list_devices({});
  std::vector<DeviceInfo> out;
  Error last{Errc::EglNoDevice, "no EGL device found"};
  auto probe = [&](const Candidate& c) {
    auto info = EglContextBuilder::probe(c);
    if (info) {
      out.push_back(*info);
    } else {
      last = info.error();
    }
  };
  for (const Candidate& c : devices) probe(c);
  if (out.empty()) probe(Candidate{});
  if (out.empty()) return std::unexpected(last);
  return out;
}

}  // namespace renderq
