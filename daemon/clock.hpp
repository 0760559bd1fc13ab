// Clock: where the daemon's timers read the time. The supervisor uses the
// steady clock; the job runner's tests use a fake one that they move by
// hand, so deadlines, heartbeats and progress throttling are tested without
// sleeping.
//
// Thread-safety: SystemClock is stateless; a fake belongs to its test.
#pragma once

#include <chrono>

namespace renderq {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return SteadyClock::now(); }
};

}  // namespace renderq
