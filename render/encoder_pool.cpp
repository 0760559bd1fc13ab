#include "render/encoder_pool.hpp"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <utility>

namespace renderq {

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) return std::max(CPU_COUNT(&set), 1);
  return static_cast<int>(std::max(std::thread::hardware_concurrency(), 1u));
}

int default_encoder_threads(int sharers) {
  if (const char* env = std::getenv("RENDERQ_ENCODER_THREADS"); env && *env) {
    int n = 0;
    auto [end, ec] = std::from_chars(env, env + std::strlen(env), n);
    if (ec == std::errc() && *end == '\0' && n >= 1 && n <= 256) return n;
  }
  return std::clamp(usable_cpus() / std::max(sharers, 1), 1, 16);
}

EncoderPool::EncoderPool(int threads) {
  for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { run(); });
}

EncoderPool::~EncoderPool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

std::size_t EncoderPool::outstanding() const {
  std::lock_guard lock(mu_);
  return outstanding_;
}

void EncoderPool::submit(int index, Task task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(Item{index, std::move(task)});
    ++outstanding_;
  }
  work_cv_.notify_one();
}

std::vector<EncoderPool::Done> EncoderPool::poll() {
  std::lock_guard lock(mu_);
  outstanding_ -= done_.size();
  return std::exchange(done_, {});
}

std::vector<EncoderPool::Done> EncoderPool::wait_any() {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [this] { return !done_.empty() || outstanding_ == 0; });
  std::vector<Done> out = std::exchange(done_, {});
  outstanding_ -= out.size();
  return out;
}

std::vector<EncoderPool::Done> EncoderPool::wait_all() {
  std::unique_lock lock(mu_);
  std::vector<Done> out;
  for (;;) {
    for (Done& d : done_) out.push_back(std::move(d));
    outstanding_ -= done_.size();
    done_.clear();
    if (outstanding_ == 0) return out;
    done_cv_.wait(lock, [this] { return !done_.empty(); });
  }
}

std::vector<int> EncoderPool::drop_queued() {
  std::lock_guard lock(mu_);
  std::vector<int> dropped;
  for (const Item& item : queue_) dropped.push_back(item.index);
  outstanding_ -= queue_.size();
  queue_.clear();
  return dropped;
}

void EncoderPool::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ with nothing left
    Item item = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    auto t0 = std::chrono::steady_clock::now();
    Result<void> r;
    try {
      r = item.task();
    } catch (const std::exception& e) {  // e.g. bad_alloc: the frame fails, the pool lives
      r = fail(Errc::Internal, std::string("encoder: ") + e.what());
    }
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    item.task = nullptr;  // free the frame before reporting
    lock.lock();
    done_.push_back(Done{item.index, ms, std::move(r)});
    done_cv_.notify_all();
  }
}

bool InOrderFrames::complete(int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= complete_.size() || complete_[static_cast<std::size_t>(index)])
    return false;
  complete_[static_cast<std::size_t>(index)] = true;
  int before = in_order_;
  while (static_cast<std::size_t>(in_order_) < complete_.size() && complete_[static_cast<std::size_t>(in_order_)])
    ++in_order_;
  return in_order_ != before;
}

}  // namespace renderq
