// RenderLoop: the preview's render thread. It owns the Renderer (an EGL
// context, kept on its own thread, away from the window's GLX context) and
// renders the most recent spec it was asked for; a request that is superseded
// before its turn is dropped, so dragging never queues up stale frames.
//
// Thread-safety: request(), take() and the destructor from one thread (the
// window's); the renderer lives on the loop's thread only.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error.hpp"
#include "core/render_spec.hpp"
#include "render/renderer.hpp"

namespace renderq {

class RenderLoop {
 public:
  struct Shown {
    RenderSpec spec;  // what the image shows
    Result<RgbaImage> image;
  };

  // Starts the thread, creates the renderer on it and resolves spec's orbit
  // (loading the scene). Returns the loop and the spec with its orbit fully
  // set, or the renderer's or loader's named error. `on_done` runs on the
  // loop's thread after each render (to wake the window's event loop).
  static Result<std::pair<std::unique_ptr<RenderLoop>, RenderSpec>> start(const DeviceSelector& selector,
                                                                           const RenderSpec& spec,
                                                                           std::function<void()> on_done);
  ~RenderLoop();  // finishes the render in progress, then joins
  RenderLoop(const RenderLoop&) = delete;
  RenderLoop& operator=(const RenderLoop&) = delete;

  // Asks for `spec` to be rendered, replacing any request not yet started.
  void request(const RenderSpec& spec);
  // The newest finished render, if one finished since the last take().
  std::optional<Shown> take();

 private:
  RenderLoop() = default;
  void run(std::unique_ptr<Renderer> renderer);

  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<RenderSpec> pending_;
  std::optional<Shown> done_;
  bool stop_ = false;
  std::function<void()> on_done_;
  std::thread thread_;
};

}  // namespace renderq
