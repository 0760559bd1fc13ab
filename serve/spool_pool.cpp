#include "serve/spool_pool.hpp"

namespace renderq::serve {

SpoolPool::Lease::~Lease() {
  if (spool_) pool_->give_back(std::move(spool_));
}

Result<SpoolPool::Lease> SpoolPool::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Spool> s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(s));
    }
  }
  // Opened outside the lock: opening may wait on SQLite's busy timeout.
  auto opened = Spool::open(options_);
  if (!opened) return std::unexpected(opened.error());
  return Lease(this, std::make_unique<Spool>(std::move(*opened)));
}

void SpoolPool::give_back(std::unique_ptr<Spool> spool) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(spool));
}

}  // namespace renderq::serve
