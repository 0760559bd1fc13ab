// SpoolPool: Store connections for the HTTP worker threads. A SQLite
// connection must not be used by two threads at once, so each request
// borrows a whole Spool (its own connection) for its duration and gives it
// back; connections are opened lazily and reused, so a busy server holds at
// most one per concurrent request.
//
// Thread-safety: acquire() and the Lease destructor may be called from any
// thread; a Lease itself belongs to the thread that acquired it.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "spool/spool.hpp"

namespace renderq::serve {

class SpoolPool {
 public:
  explicit SpoolPool(SpoolOptions options) : options_(std::move(options)) {}
  SpoolPool(const SpoolPool&) = delete;
  SpoolPool& operator=(const SpoolPool&) = delete;

  class Lease {
   public:
    Lease(SpoolPool* pool, std::unique_ptr<Spool> spool) : pool_(pool), spool_(std::move(spool)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Spool& operator*() const { return *spool_; }
    Spool* operator->() const { return spool_.get(); }

   private:
    SpoolPool* pool_;
    std::unique_ptr<Spool> spool_;
  };

  // A connection from the pool, or a new one (the errors of Spool::open).
  Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<Spool> spool);
  SpoolOptions options_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Spool>> idle_;
};

}  // namespace renderq::serve
