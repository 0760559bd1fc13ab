// PgWakeListener: what WakeListener (spool.hpp, the wake FIFO) is for a
// PostgreSQL queue. It LISTENs on renderq_wake, which submit, cancel, retry,
// resume and requeue NOTIFY in their transactions (sql/pg/wake.sql), so an
// idle daemon blocked in poll() on fd() starts at once on any host. Keep the
// fallback poll timeout the SQLite daemon uses: a NOTIFY sent while the
// connection was down is lost.
//
// Thread-safety: one listener per thread.
#pragma once

#include <memory>
#include <string>

#include "core/error.hpp"
#include "spool/pg_conn.hpp"

namespace renderq {

class PgWakeListener {
 public:
  // The channels: renderq_wake for daemons; renderq_changes (every commit
  // that changed a job) for waiters (pg_queue.hpp).
  static constexpr const char* kWake = "renderq_wake";
  static constexpr const char* kChanges = "renderq_changes";

  // LISTENs on `channel`. Errc::Io when the server cannot be reached.
  static Result<PgWakeListener> open(const std::string& conninfo, const std::string& channel = kWake);

  // The socket to poll for POLLIN; -1 while disconnected. It changes after
  // a reconnect, so read it before every poll.
  int fd() const;
  // Reads what arrived without blocking and returns how many wake-ups did
  // (0 after a spurious readiness). A broken connection is reopened once;
  // Errc::Io when that fails (poll on with the fallback timeout, call again).
  Result<int> drain();

 private:
  PgWakeListener(std::unique_ptr<PgConn> c, std::string channel) : conn_(std::move(c)), channel_(std::move(channel)) {}
  std::unique_ptr<PgConn> conn_;
  std::string channel_;
  std::int64_t seen_ = 0;
};

}  // namespace renderq
