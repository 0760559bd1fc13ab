#include "render/frame_encoder.hpp"

#include <chrono>
#include <utility>

namespace renderq {

FrameEncoder::FrameEncoder() : thread_([this] { run(); }) {}

FrameEncoder::~FrameEncoder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void FrameEncoder::submit(OutputWriter& writer, int index, RgbaFrame frame) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Job{&writer, index, std::move(frame)});
    ++pending_;
  }
  cv_.notify_all();
}

std::vector<FrameEncoder::Done> FrameEncoder::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return pending_ == 0; });
  return std::exchange(done_, {});
}

void FrameEncoder::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ with nothing left
    Job job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    auto t0 = std::chrono::steady_clock::now();
    Result<void> r = job.writer->add_frame(job.index, std::move(job.frame));
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    lock.lock();
    done_.push_back(Done{job.index, ms, std::move(r)});
    --pending_;
    cv_.notify_all();
  }
}

}  // namespace renderq
