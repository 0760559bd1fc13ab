#include "render/gl_readback.hpp"

#include <algorithm>
#include <chrono>
#include <string>

namespace renderq {
namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}
}  // namespace

Result<GlReadback> GlReadback::create(int width, int height, int slots, bool timed) {
  GlReadback r;
  r.timed_ = timed;
  r.width_ = width;
  r.height_ = height;
  const auto bytes = static_cast<GLsizeiptr>(width) * static_cast<GLsizeiptr>(height) * 4;
  while (glGetError() != GL_NO_ERROR) {
  }
  for (int i = 0; i < std::max(slots, 1); ++i) {
    Slot slot{.buffer = make_buffer(), .draw_query = make_query(GL_TIME_ELAPSED),
              .read_query = make_query(GL_TIME_ELAPSED)};
    // GL_CLIENT_STORAGE_BIT: the driver may keep it in system memory, where
    // the CPU reads it fastest.
    glNamedBufferStorage(slot.buffer.get(), bytes, nullptr, GL_MAP_READ_BIT | GL_CLIENT_STORAGE_BIT);
    r.buffers_.push_back(std::move(slot));
  }
  if (GLenum e = glGetError(); e != GL_NO_ERROR)
    return fail(Errc::OutOfMemoryBudget, "cannot allocate " + std::to_string(slots) + " read-back buffers of " +
                                             std::to_string(bytes >> 20) + " MiB (GL error " + std::to_string(e) + ")");
  return r;
}

void GlReadback::begin_draw() {
  if (!timed_) return;
  glBeginQuery(GL_TIME_ELAPSED, buffers_[next_].draw_query.get());
  timing_ = true;
}

void GlReadback::start(const GlFrameTarget& target, int index) {
  const std::size_t slot = next_;
  next_ = (next_ + 1) % buffers_.size();
  if (timed_) {
    glEndQuery(GL_TIME_ELAPSED);
    timing_ = false;
    glBeginQuery(GL_TIME_ELAPSED, buffers_[slot].read_query.get());
  }
  glBindBuffer(GL_PIXEL_PACK_BUFFER, buffers_[slot].buffer.get());
  target.read_rgba_into_bound_pack_buffer();
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  if (timed_) glEndQuery(GL_TIME_ELAPSED);
  GlFence fence(glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0));
  glFlush();  // the device starts now, not at the next wait
  pending_.push_back(Pending{index, slot, std::move(fence)});
}

Result<GlReadback::Frame> GlReadback::finish_oldest() {
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  Frame f;
  f.index = p.index;
  auto t0 = Clock::now();
  // Waits in steps so a lost device cannot hang the worker forever: the
  // supervisor's timeout still applies, and GL_WAIT_FAILED ends it.
  for (;;) {
    GLenum w = glClientWaitSync(p.fence.get(), GL_SYNC_FLUSH_COMMANDS_BIT, 1'000'000'000);
    if (w == GL_ALREADY_SIGNALED || w == GL_CONDITION_SATISFIED) break;
    if (w == GL_WAIT_FAILED || glGetGraphicsResetStatus() != GL_NO_ERROR)
      return fail(Errc::ContextLost, "waiting for frame " + std::to_string(p.index) + " to read back failed");
  }
  f.wait_ms = ms_since(t0);
  // Available now: the fence is behind both queries.
  GLuint64 draw_ns = 0, read_ns = 0;
  if (timed_) {
    glGetQueryObjectui64v(buffers_[p.slot].draw_query.get(), GL_QUERY_RESULT, &draw_ns);
    glGetQueryObjectui64v(buffers_[p.slot].read_query.get(), GL_QUERY_RESULT, &read_ns);
  }
  f.device_draw_ms = static_cast<double>(draw_ns) / 1e6;
  f.device_read_ms = static_cast<double>(read_ns) / 1e6;
  t0 = Clock::now();
  const std::size_t bytes = static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 4;
  const void* data = glMapNamedBufferRange(buffers_[p.slot].buffer.get(), 0, static_cast<GLsizeiptr>(bytes), GL_MAP_READ_BIT);
  if (data == nullptr) {
    if (glGetGraphicsResetStatus() != GL_NO_ERROR)
      return fail(Errc::ContextLost, "GPU reset while reading frame " + std::to_string(p.index) + " back");
    return fail(Errc::Internal, "mapping the read-back buffer of frame " + std::to_string(p.index) + " failed");
  }
  const auto* src = static_cast<const std::uint8_t*>(data);
  f.pixels.assign(src, src + bytes);  // one pass: no zero-fill first
  glUnmapNamedBuffer(buffers_[p.slot].buffer.get());
  f.copy_ms = ms_since(t0);
  return f;
}


void GlReadback::discard() {
  if (timing_) glEndQuery(GL_TIME_ELAPSED);
  timing_ = false;
  pending_.clear();
  next_ = 0;
}

}  // namespace renderq
