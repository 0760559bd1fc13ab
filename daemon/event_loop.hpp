// EventLoop: the daemon's one place that blocks. Each turn waits in poll(2)
// for the descriptors watched for that turn, for the signals it was opened
// with (read from a signalfd, so a signal is an event in order with the
// others, never an interrupted system call), and for the earliest deadline
// anyone asked for, then calls the handlers of what happened.
//
// Watches and deadlines last one turn: the supervisor states them afresh
// before each (worker descriptors come and go with the workers, and every
// heartbeat moves a deadline), which keeps the handling order fixed: ready
// descriptors in the order they were watched, then the signals.
//
// Thread-safety: single-threaded. open() blocks the signals for the whole
// process (the daemon has no other thread; children reset their mask).
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "daemon/clock.hpp"

namespace renderq {

class EventLoop {
 public:
  // The longest one turn waits when no deadline is nearer.
  static constexpr std::chrono::milliseconds kMaxWait{60'000};

  // Blocks `signals` and reads them from a non-blocking, close-on-exec
  // signalfd. Errc::Internal when sigprocmask or signalfd fails.
  static Result<EventLoop> open(std::initializer_list<int> signals);

  // For the next turn: call `on_ready` when `fd` is readable, hung up or in
  // error. A negative fd is ignored.
  void watch(int fd, std::function<void()> on_ready);
  // For the next turn: return by `t` at the latest.
  void wake_by(TimePoint t);

  // One turn: waits as above (at most kMaxWait), calls on_ready of each
  // ready descriptor in watch order, then `on_signal` for every signal
  // read, in arrival order; then forgets the watches and the deadline.
  // A failing poll (other than EINTR) is logged and the turn ends early.
  void run_once(const std::function<void(int signo)>& on_signal);

 private:
  explicit EventLoop(UniqueFd sigfd) : sigfd_(std::move(sigfd)) {}
  struct Watch {
    int fd;
    std::function<void()> on_ready;
  };
  UniqueFd sigfd_;
  std::vector<Watch> watches_;
  TimePoint deadline_ = TimePoint::max();
};

}  // namespace renderq
