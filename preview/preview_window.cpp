#include "preview/preview_window.hpp"

#include <GLFW/glfw3.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "preview/render_loop.hpp"

namespace renderq {
namespace {

std::string g_glfw_error;  // the last GLFW error, for messages

void on_glfw_error(int, const char* description) { g_glfw_error = description ? description : "unknown error"; }

struct GlfwSession {
  bool ok = false;
  GlfwSession() {
    glfwSetErrorCallback(on_glfw_error);
    ok = glfwInit() == GLFW_TRUE;
  }
  ~GlfwSession() {
    if (ok) glfwTerminate();
  }
};

// What the callbacks share with the loop; reached through the window's user pointer.
struct WindowState {
  ViewState view;
  bool dragging = false;
  double last_x = 0, last_y = 0;
  bool changed = false;      // the spec changed: ask for a render
  bool print = false;        // print the submit line
  bool quit = false;
  bool redraw = false;       // show the current image again (exposed)
};

WindowState& state_of(GLFWwindow* w) { return *static_cast<WindowState*>(glfwGetWindowUserPointer(w)); }

void apply(WindowState& s, PreviewAction action) {
  switch (action) {
    case PreviewAction::None:
      break;
    case PreviewAction::Redraw:
      s.changed = true;
      break;
    case PreviewAction::PrintSubmit:
      s.print = true;
      break;
    case PreviewAction::Quit:
      s.quit = true;
      break;
  }
}

void on_char(GLFWwindow* w, unsigned int codepoint) {
  if (codepoint < 128) apply(state_of(w), handle_key(state_of(w).view, static_cast<int>(codepoint)));
}

void on_key(GLFWwindow* w, int key, int, int action, int) {
  if (key == GLFW_KEY_ESCAPE && action == GLFW_PRESS) apply(state_of(w), handle_key(state_of(w).view, 27));
}

void on_button(GLFWwindow* w, int button, int action, int) {
  if (button != GLFW_MOUSE_BUTTON_LEFT) return;
  // The drag starts where the last motion event left the pointer: querying
  // the pointer now (glfwGetCursorPos asks the X server) would already see
  // later motion, and that motion's event would then move nothing.
  state_of(w).dragging = action == GLFW_PRESS;
}

void on_cursor(GLFWwindow* w, double x, double y) {
  WindowState& s = state_of(w);
  const double dx = x - s.last_x, dy = y - s.last_y;
  s.last_x = x;
  s.last_y = y;
  if (!s.dragging || (dx == 0 && dy == 0)) return;
  int width = 0, height = 0;
  glfwGetWindowSize(w, &width, &height);
  orbit_drag(s.view, dx, dy, height);
  s.changed = true;
}

void on_scroll(GLFWwindow* w, double, double dy) {
  if (state_of(w).view.spec.camera.empty()) {
    zoom(state_of(w).view, dy);
    state_of(w).changed = true;
  }
}

void on_close(GLFWwindow* w) { state_of(w).quit = true; }
void on_refresh(GLFWwindow* w) { state_of(w).redraw = true; }

// Draws the image 1:1 from the top-left corner, straight alpha over grey.
void show(GLFWwindow* window, const RgbaImage& image) {
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(0.5f, 0.5f, 0.5f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glRasterPos2f(-1.0f, 1.0f);
  glPixelZoom(1.0f, -1.0f);  // rows top to bottom
  glDrawPixels(image.width, image.height, GL_RGBA, GL_UNSIGNED_BYTE, image.rgba.data());
  glfwSwapBuffers(window);
}

}  // namespace

Result<void> run_preview(const RenderSpec& requested, const PreviewOptions& options) {
  GlfwSession glfw;
  if (!glfw.ok)
    return fail(Errc::Unsupported, "cannot open a window (" + g_glfw_error +
                                       "); renderq preview needs a display: set DISPLAY, or use renderq render");
  // The renderer first: a scene that does not load fails before a window appears.
  auto started = RenderLoop::start(options.device, requested, [] { glfwPostEmptyEvent(); });
  if (!started) return std::unexpected(started.error());
  auto& [loop, spec] = *started;

  glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_FALSE);
  std::string title = "renderq preview - " + std::filesystem::path(spec.scene).filename().string();
  std::unique_ptr<GLFWwindow, void (*)(GLFWwindow*)> window(
      glfwCreateWindow(spec.width, spec.height, title.c_str(), nullptr, nullptr), glfwDestroyWindow);
  if (!window) return fail(Errc::Unsupported, "cannot create a " + std::to_string(spec.width) + "x" +
                                                  std::to_string(spec.height) + " window: " + g_glfw_error);
  WindowState ws{.view = make_view_state(spec)};
  glfwSetWindowUserPointer(window.get(), &ws);
  glfwSetCharCallback(window.get(), on_char);
  glfwSetKeyCallback(window.get(), on_key);
  glfwSetMouseButtonCallback(window.get(), on_button);
  glfwSetCursorPosCallback(window.get(), on_cursor);
  glfwSetScrollCallback(window.get(), on_scroll);
  glfwSetWindowCloseCallback(window.get(), on_close);
  glfwSetWindowRefreshCallback(window.get(), on_refresh);
  glfwMakeContextCurrent(window.get());
  glfwSwapInterval(0);

  loop->request(ws.view.spec);
  std::optional<RgbaImage> current;
  long shown = 0;
  bool first = true;
  bool fresh = false;  // current has not been on screen yet
  while (!ws.quit) {
    glfwWaitEvents();
    if (ws.changed) {
      ws.changed = false;
      loop->request(ws.view.spec);
    }
    if (auto done = loop->take()) {
      if (done->image) {
        current = std::move(*done->image);
        ws.redraw = fresh = true;
      } else if (first) {
        return std::unexpected(done->image.error());
      } else if (options.log) {
        options.log("preview: " + done->image.error().message());
      }
      first = false;
    }
    if (ws.redraw && current) {
      ws.redraw = false;
      show(window.get(), *current);
      if (fresh && options.log_frames && options.log) options.log("preview: shown " + std::to_string(++shown));
      fresh = false;
    }
    if (ws.print || ws.quit) {
      ws.print = false;
      if (options.print) options.print(submit_args(ws.view.spec));
    }
  }
  return {};
}

}  // namespace renderq
