#include "preview/render_loop.hpp"

#include <future>

namespace renderq {

Result<std::pair<std::unique_ptr<RenderLoop>, RenderSpec>> RenderLoop::start(const DeviceSelector& selector,
                                                                              const RenderSpec& spec,
                                                                              std::function<void()> on_done) {
  std::unique_ptr<RenderLoop> loop(new RenderLoop());
  loop->on_done_ = std::move(on_done);
  std::promise<Result<RenderSpec>> started;
  auto resolved = started.get_future();
  RenderLoop* self = loop.get();
  loop->thread_ = std::thread([self, selector, spec, &started] {
    auto renderer = Renderer::create(selector);
    if (!renderer) {
      started.set_value(std::unexpected(renderer.error()));
      return;
    }
    RenderSpec full = spec;
    if (spec.camera.empty()) {
      auto orbit = (*renderer)->resolved_orbit(spec);
      if (!orbit) {
        started.set_value(std::unexpected(orbit.error()));
        return;
      }
      full.orbit = *orbit;
    }
    started.set_value(full);
    self->run(std::move(*renderer));
  });
  auto full = resolved.get();
  if (!full) {
    loop->thread_.join();
    return std::unexpected(full.error());
  }
  return std::pair{std::move(loop), std::move(*full)};
}

RenderLoop::~RenderLoop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RenderLoop::request(const RenderSpec& spec) {
  {
    std::lock_guard lock(mu_);
    pending_ = spec;
  }
  cv_.notify_all();
}

std::optional<RenderLoop::Shown> RenderLoop::take() {
  std::lock_guard lock(mu_);
  std::optional<Shown> out = std::move(done_);
  done_.reset();
  return out;
}

void RenderLoop::run(std::unique_ptr<Renderer> renderer) {
  for (;;) {
    RenderSpec spec;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || pending_; });
      if (stop_) return;
      spec = std::move(*pending_);
      pending_.reset();
    }
    auto image = renderer->render_image(spec);
    {
      std::lock_guard lock(mu_);
      done_ = Shown{std::move(spec), std::move(image)};
    }
    if (on_done_) on_done_();
  }
}

}  // namespace renderq
