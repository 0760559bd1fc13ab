// ChangeSource: how a waiter (`renderq wait`) sleeps until some connection
// committed, whatever the queue: a spool's counter file (change_watch.hpp)
// or a PostgreSQL LISTEN on renderq_changes (pg_queue.cpp).
//
// Thread-safety: one object per thread.
#pragma once

#include <chrono>

namespace renderq {

class ChangeSource {
 public:
  using Clock = std::chrono::steady_clock;
  virtual ~ChangeSource() = default;
  // Blocks until a commit was signalled since the source was made or the
  // last call that returned true, or until `until`. True when woken by a
  // signal, or when the source can only poll (the caller looks again).
  virtual bool wait(Clock::time_point until) noexcept = 0;
};

}  // namespace renderq
