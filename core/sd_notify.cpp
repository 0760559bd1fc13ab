#include "core/sd_notify.hpp"

#include <dlfcn.h>
#include <systemd/sd-daemon.h>

#include <cstdlib>

#include "core/journal_log.hpp"

namespace renderq {
namespace {

// libsystemd is opened only when systemd started us: every renderq command
// links this file, and loading libsystemd with its own dependencies
// (libgcrypt, liblzma, libzstd, liblz4, libcap) costs each `renderq submit`
// several milliseconds of start-up for nothing. The .deb depends on libsystemd0.
struct Libsystemd {
  decltype(&::sd_notify) notify = nullptr;
  decltype(&::sd_watchdog_enabled) watchdog_enabled = nullptr;
};

const Libsystemd* libsystemd() {
  static const Libsystemd* lib = []() -> const Libsystemd* {
    void* handle = ::dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      log_line(LogLevel::Warning, std::string("started by systemd, but libsystemd.so.0 cannot be loaded (") +
                                      (why ? why : "unknown error") + "): no readiness or watchdog messages");
      return nullptr;
    }
    static Libsystemd l;
    l.notify = reinterpret_cast<decltype(&::sd_notify)>(::dlsym(handle, "sd_notify"));
    l.watchdog_enabled = reinterpret_cast<decltype(&::sd_watchdog_enabled)>(::dlsym(handle, "sd_watchdog_enabled"));
    return l.notify && l.watchdog_enabled ? &l : nullptr;
  }();
  return lib;
}

bool set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && v[0] != '\0';
}

}  // namespace

ServiceNotifier ServiceNotifier::from_environment() {
  ServiceNotifier n;
  if (!set("NOTIFY_SOCKET") && !set("WATCHDOG_USEC")) return n;  // not under systemd: no library
  const Libsystemd* lib = libsystemd();
  if (lib == nullptr) return n;
  n.active_ = set("NOTIFY_SOCKET");
  std::uint64_t usec = 0;
  if (lib->watchdog_enabled(0, &usec) > 0 && usec > 0)
    n.watchdog_ = std::chrono::microseconds(static_cast<std::int64_t>(usec));
  return n;
}

bool ServiceNotifier::send(const std::string& message) {
  if (!active_) return false;
  // sd_notify returns > 0 when sent, 0 when no socket, < 0 on error.
  return libsystemd()->notify(0, message.c_str()) > 0;
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
