// QueuePool: queue connections for the HTTP worker threads. A Queue (its
// SQLite or PostgreSQL connection) must not be used by two threads at once,
// so each request borrows a whole Queue for its duration and gives it back.
// Connections open lazily and are reused. A spool's pool is unbounded (a
// SQLite connection is a file handle); a PostgreSQL pool holds at most
// `max_open`, since each is a server process and servers cap them
// (max_connections, 100 by default): a request finding all of them busy
// waits up to `wait`, then gets Errc::Busy (503).
//
// Thread-safety: acquire() and the Lease destructor may be called from any
// thread; a Lease itself belongs to the thread that acquired it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.hpp"
#include "spool/queue.hpp"

namespace renderq::serve {

// Opens one more connection to the served queue (its errors: Spool::open's
// or PgQueue::open's).
using QueueOpener = std::function<Result<std::unique_ptr<Queue>>()>;

class QueuePool {
 public:
  // max_open 0 = no bound.
  QueuePool(QueueOpener open, std::size_t max_open, std::chrono::milliseconds wait)
      : open_(std::move(open)), max_open_(max_open), wait_(wait) {}
  QueuePool(const QueuePool&) = delete;
  QueuePool& operator=(const QueuePool&) = delete;

  class Lease {
   public:
    Lease(QueuePool* pool, std::unique_ptr<Queue> queue) : pool_(pool), queue_(std::move(queue)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Queue& operator*() const { return *queue_; }
    Queue* operator->() const { return queue_.get(); }

   private:
    QueuePool* pool_;
    std::unique_ptr<Queue> queue_;
  };

  // An idle connection, or a new one while fewer than max_open exist;
  // Errc::Busy after `wait` with all of them in use.
  Result<Lease> acquire();
  // Hands the pool a connection opened elsewhere (the server's first).
  void adopt(std::unique_ptr<Queue> queue);

 private:
  void give_back(std::unique_ptr<Queue> queue);
  QueueOpener open_;
  const std::size_t max_open_;
  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Queue>> idle_;
  std::size_t open_count_ = 0;  // idle and lent
};

}  // namespace renderq::serve
