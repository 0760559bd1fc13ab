// GlReadback: asynchronous read-back of finished frames through a small ring
// of pixel-buffer objects, with the device time of each frame measured by
// timer queries (GL_TIME_ELAPSED) that are read only once the frame's fence
// has signalled, so measuring never stalls the pipeline. begin_draw() starts
// timing a frame's drawing; start() queues glReadnPixels of the frame target's
// resolved image into the next free buffer and a fence behind it, without
// waiting; finish_oldest() waits for the oldest fence (usually already
// signalled, since the next frame was drawn meanwhile), maps that buffer and
// copies the pixels out. So frame N+1 is drawn while frame N travels back.
//
// Thread-safety: GL-context bound (see gl_handles.hpp).
#pragma once

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "render/gl_framebuffer.hpp"
#include "render/gl_handles.hpp"

namespace renderq {

// Owns one fence (glFenceSync); deleted exactly once.
class GlFence {
 public:
  GlFence() = default;
  explicit GlFence(GLsync s) : sync_(s) {}
  ~GlFence() { reset(); }
  GlFence(GlFence&& o) noexcept : sync_(std::exchange(o.sync_, nullptr)) {}
  GlFence& operator=(GlFence&& o) noexcept {
    if (this != &o) {
      reset();
      sync_ = std::exchange(o.sync_, nullptr);
    }
    return *this;
  }
  GlFence(const GlFence&) = delete;
  GlFence& operator=(const GlFence&) = delete;
  GLsync get() const { return sync_; }
  void reset() {
    if (sync_ != nullptr) glDeleteSync(sync_);
    sync_ = nullptr;
  }

 private:
  GLsync sync_ = nullptr;
};

class GlReadback {
 public:
  struct Frame {
    int index = 0;                    // as given to start()
    std::vector<std::uint8_t> pixels; // width*height*4, rows bottom up, as the target holds them
    double wait_ms = 0;               // blocked on the fence (the device was still busy)
    double copy_ms = 0;               // map + copy + unmap
    double device_draw_ms = 0;        // device time from begin_draw() to start(); 0 when not timed
    double device_read_ms = 0;        // device time of the read into the buffer; 0 when not timed
  };

  // `slots` buffers of width*height*4 bytes. `timed`: measure device time
  // with timer queries (false on llvmpipe, whose GL_TIME_ELAPSED sums its
  // rasterizer threads and returns garbage for the first query).
  // REQUIRES: context current, slots >= 1. Errc::OutOfMemoryBudget when the
  // driver cannot allocate.
  static Result<GlReadback> create(int width, int height, int slots, bool timed);

  int width() const { return width_; }
  int height() const { return height_; }
  bool full() const { return pending_.size() == buffers_.size(); }
  bool empty() const { return pending_.empty(); }

  // Starts timing the next frame's drawing on the device. REQUIRES: !full(),
  // no other GL_TIME_ELAPSED query active.
  void begin_draw();
  // Ends that timing, queues the read-back of `target`'s resolved image as
  // frame `index` and flushes, so the device starts on it. REQUIRES:
  // begin_draw() called for this frame, the target's size equals this ring's.
  void start(const GlFrameTarget& target, int index);
  // Forgets every queued frame (after a failure); the ring is reusable.
  void discard();
  // Waits for the oldest queued frame and returns its pixels.
  // REQUIRES: !empty(). Errc::ContextLost when the fence never signals
  // (GL_WAIT_FAILED) or mapping fails after a reset; Errc::Internal when
  // mapping fails otherwise.
  Result<Frame> finish_oldest();

 private:
  struct Pending {
    int index;
    std::size_t slot;
    GlFence fence;
  };
  struct Slot {
    GlBuffer buffer;
    GlQuery draw_query, read_query;
  };
  int width_ = 0, height_ = 0;
  std::vector<Slot> buffers_;
  std::deque<Pending> pending_;
  std::size_t next_ = 0;
  bool timed_ = true;
  bool timing_ = false;  // a draw query is active
};

}  // namespace renderq
