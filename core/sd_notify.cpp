#include "core/sd_notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace renderq {

ServiceNotifier ServiceNotifier::from_environment() {
  ServiceNotifier n;
  const char* socket = std::getenv("NOTIFY_SOCKET");
  n.active_ = socket != nullptr && socket[0] != '\0';
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
    n.watchdog_ = std::chrono::microseconds(static_cast<std::int64_t>(usec));
  return n;
}

bool ServiceNotifier::send(const std::string& message) {
  if (!active_) return false;
  // sd_notify returns > 0 when sent, 0 when no socket, < 0 on error.
  return sd_notify(0, message.c_str()) > 0;
}

bool ServiceNotifier::ready(std::string_view status) {
  bool sent = send("READY=1\nSTATUS=" + std::string(status));
  last_ping_ = Clock::now();
  return sent;
}

bool ServiceNotifier::status(std::string_view status) { return send("STATUS=" + std::string(status)); }

bool ServiceNotifier::stopping(std::string_view status) {
  return send("STOPPING=1\nSTATUS=" + std::string(status));
}

bool ServiceNotifier::watchdog_tick(Clock::time_point now) {
  if (!watchdog_) return false;
  if (now - last_ping_ < *watchdog_ / 2) return false;
  last_ping_ = now;
  return send("WATCHDOG=1");
}

std::optional<std::chrono::milliseconds> ServiceNotifier::until_next_ping(Clock::time_point now) const {
  if (!watchdog_) return std::nullopt;
  auto due = last_ping_ + *watchdog_ / 2;
  if (due <= now) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(due - now);
}

std::string queue_status_text(long long queued, long long running) {
  return std::to_string(queued) + " queued, " + std::to_string(running) + " running";
}

}  // namespace renderq
