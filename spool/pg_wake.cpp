#include "spool/pg_wake.hpp"

namespace renderq {

Result<PgWakeListener> PgWakeListener::open(const std::string& conninfo, const std::string& channel) {
  Result<std::unique_ptr<PgConn>> c = PgConn::connect(conninfo);
  if (!c) return std::unexpected(c.error());
  try {
    (*c)->listen(channel);
  } catch (const PgError& e) {
    return std::unexpected(e.error);
  }
  return PgWakeListener(std::move(*c), channel);
}

int PgWakeListener::fd() const { return conn_->socket(); }

Result<int> PgWakeListener::drain() {
  try {
    try {
      std::int64_t n = conn_->notifications(channel_);
      if (n == seen_) {
        // Readable without a notification: most likely the server's
        // goodbye before it closed the connection. One round trip tells.
        conn_->exec("SELECT 1");
        n = conn_->notifications(channel_);
      }
      const std::int64_t fresh = n - seen_;
      seen_ = n;
      return static_cast<int>(fresh);
    } catch (const PgError&) {
      // The server went away (a restart): listen again on a new session.
      // Wake-ups sent meanwhile are lost; report one so the caller looks.
      conn_->ensure_connected();
      seen_ = conn_->notifications(channel_);
      return 1;
    }
  } catch (const PgError& e) {
    return std::unexpected(e.error);
  }
}

}  // namespace renderq
