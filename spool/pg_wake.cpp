#include "spool/pg_wake.hpp"

namespace renderq {

namespace {
constexpr const char* kChannel = "renderq_wake";
}

Result<PgWakeListener> PgWakeListener::open(const std::string& conninfo) {
  Result<std::unique_ptr<PgConn>> c = PgConn::connect(conninfo);
  if (!c) return std::unexpected(c.error());
  try {
    (*c)->listen(kChannel);
  } catch (const PgError& e) {
    return std::unexpected(e.error);
  }
  return PgWakeListener(std::move(*c));
}

int PgWakeListener::fd() const { return conn_->socket(); }

Result<int> PgWakeListener::drain() {
  try {
    try {
      std::int64_t n = conn_->notifications(kChannel);
      if (n == seen_) {
        // Readable without a notification: most likely the server's
        // goodbye before it closed the connection. One round trip tells.
        conn_->exec("SELECT 1");
        n = conn_->notifications(kChannel);
      }
      const std::int64_t fresh = n - seen_;
      seen_ = n;
      return static_cast<int>(fresh);
    } catch (const PgError&) {
      // The server went away (a restart): listen again on a new session.
      // Wake-ups sent meanwhile are lost; report one so the caller looks.
      conn_->ensure_connected();
      seen_ = conn_->notifications(kChannel);
      return 1;
    }
  } catch (const PgError& e) {
    return std::unexpected(e.error);
  }
}

}  // namespace renderq
