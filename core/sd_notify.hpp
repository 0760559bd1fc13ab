// ServiceNotifier: the daemon's side of systemd's notify protocol (READY=1,
// STATUS=..., WATCHDOG=1, STOPPING=1) through libsystemd's sd_notify(3),
// which is dlopen()ed only when $NOTIFY_SOCKET or $WATCHDOG_USEC is set.
// Outside systemd every call is a cheap no-op, so the
// daemon calls it unconditionally. Independent of the daemon so that tests
// (and any other long-running command) can use it.
//
// Thread-safety: one object per process, used from the daemon's main loop.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace renderq {

class ServiceNotifier {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads $NOTIFY_SOCKET and the watchdog settings ($WATCHDOG_USEC for this
  // pid, via sd_watchdog_enabled) once. Leaves the environment untouched so
  // children started by the daemon do not inherit a stale socket by accident
  // of order; the unit's NotifyAccess=main keeps them from notifying anyway.
  static ServiceNotifier from_environment();

  bool active() const { return active_; }
  // The watchdog interval systemd expects pings within; nullopt when off.
  std::optional<std::chrono::microseconds> watchdog_interval() const { return watchdog_; }

  // READY=1 with a STATUS= line: the daemon has opened the spool and the
  // device and is accepting jobs. Returns false when the message could not
  // be sent (never fatal: the daemon keeps running).
  bool ready(std::string_view status);
  bool status(std::string_view status);  // STATUS=<text>
  bool stopping(std::string_view status);  // STOPPING=1 on shutdown

  // Sends WATCHDOG=1 when half the interval has passed since the last ping
  // (systemd's advice), so the loop can call it on every wake-up. Returns
  // whether a ping was sent.
  bool watchdog_tick(Clock::time_point now = Clock::now());

  // How long the loop may sleep before the next ping is due; nullopt when
  // the watchdog is off.
  std::optional<std::chrono::milliseconds> until_next_ping(Clock::time_point now = Clock::now()) const;

 private:
  bool send(const std::string& message);
  bool active_ = false;
  std::optional<std::chrono::microseconds> watchdog_;
  Clock::time_point last_ping_{};
};

// The STATUS= text for a queue depth, e.g. "3 queued, 1 running".
std::string queue_status_text(long long queued, long long running);

}  // namespace renderq
