#include "serve/queue_pool.hpp"

namespace renderq::serve {

QueuePool::Lease::~Lease() {
  if (queue_) pool_->give_back(std::move(queue_));
}

Result<QueuePool::Lease> QueuePool::acquire() {
  {
    std::unique_lock lock(mu_);
    const bool ready = freed_.wait_for(lock, wait_, [this] {
      return !idle_.empty() || max_open_ == 0 || open_count_ < max_open_;
    });
    if (!ready)
      return fail(Errc::Busy, "all " + std::to_string(max_open_) +
                                  " connections to the queue are in use; try again");
    if (!idle_.empty()) {
      std::unique_ptr<Queue> q = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(q));
    }
    ++open_count_;
  }
  // Opened outside the lock: opening may wait on SQLite's busy timeout or
  // on the network.
  Result<std::unique_ptr<Queue>> opened = open_();
  if (!opened) {
    {
      std::lock_guard lock(mu_);
      --open_count_;
    }
    freed_.notify_one();
    return std::unexpected(opened.error());
  }
  return Lease(this, std::move(*opened));
}

void QueuePool::adopt(std::unique_ptr<Queue> queue) {
  {
    std::lock_guard lock(mu_);
    ++open_count_;
  }
  give_back(std::move(queue));
}

void QueuePool::give_back(std::unique_ptr<Queue> queue) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(queue));
  }
  freed_.notify_one();
}

}  // namespace renderq::serve
