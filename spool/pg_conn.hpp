// One libpq connection to a PostgreSQL queue, the way every renderq process
// uses it: statements from sql/pg/ prepared once per connection and run with
// bound text parameters (never SQL built from values), transactions as RAII
// scopes, LISTEN notifications counted per channel. PgStore builds on it.
//
// Errors: the methods throw PgError (an Error inside an exception), so that
// a transaction body reads straight; PgStore catches at its boundary and
// returns the Error. SQLSTATE classes map to Errc: serialization failures,
// deadlocks and lock timeouts -> Busy; connection loss -> Io; privileges ->
// PermissionDenied; a schema made by a newer renderq -> SchemaTooNew (from
// the migrator); anything else -> Internal.
//
// Thread-safety: one PgConn per thread (a libpq connection is not shared).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

struct pg_conn;
struct pg_result;

namespace renderq {

struct PgError : std::runtime_error {
  explicit PgError(Error e) : std::runtime_error(e.message()), error(std::move(e)) {}
  Error error;
};

// A statement parameter as text; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;
inline PgParam pg(std::int64_t v) { return std::to_string(v); }
inline PgParam pg(int v) { return std::to_string(v); }
inline PgParam pg(bool v) { return std::string(v ? "t" : "f"); }
inline PgParam pg(std::string v) { return PgParam(std::move(v)); }

// A query's rows, owned (PQclear on destruction). Columns are looked up by
// name; values come back as libpq's text form.
class PgRows {
 public:
  explicit PgRows(pg_result* r) : r_(r) {}
  PgRows(PgRows&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  PgRows& operator=(PgRows&&) = delete;
  ~PgRows();

  int size() const;
  bool null(int row, std::string_view column) const;
  std::string text(int row, std::string_view column) const;
  std::int64_t int64(int row, std::string_view column) const;
  int int32(int row, std::string_view column) const;
  bool boolean(int row, std::string_view column) const;
  std::optional<std::int64_t> opt_int64(int row, std::string_view column) const;
  // Rows changed by an INSERT/UPDATE/DELETE without RETURNING.
  std::int64_t affected() const;

 private:
  int column(std::string_view name) const;
  pg_result* r_;
};

class PgConn {
 public:
  // Connects with a libpq connection string or URL ("postgresql://...";
  // passwords from ~/.pgpass or the service file). Errc::Io when the server
  // cannot be reached, PermissionDenied when it refuses the login.
  static Result<std::unique_ptr<PgConn>> connect(const std::string& conninfo);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs sql/<path> (e.g. "pg/claim.sql") with $1..$n bound to `params`,
  // prepared on first use on this connection. Throws PgError.
  PgRows query(std::string_view path, const std::vector<PgParam>& params = {});
  // Runs literal SQL, several statements allowed, no parameters (migrations,
  // BEGIN/COMMIT). Throws PgError.
  PgRows exec(const std::string& sql);

  // After the server went away (a restart), opens the connection again;
  // prepared statements are prepared again on next use. An idle connection
  // the server ended is noticed here, before a statement fails on it. A
  // no-op on a good connection. Throws PgError when the server is still
  // unreachable.
  void ensure_connected();

  // Runs a session setting (e.g. "SET synchronous_commit = off") now and
  // again after every reconnect. Throws PgError.
  void session(const std::string& sql);

  // LISTEN on `channel` (once); notifications are then counted.
  void listen(const std::string& channel);
  // Reads what the server sent without blocking and returns how many
  // notifications `channel` received since listen(). Throws PgError when the
  // connection broke.
  std::int64_t notifications(const std::string& channel);
  // The socket to poll for notifications; changes after a reconnect.
  int socket() const;

 private:
  explicit PgConn(pg_conn* c) : c_(c) {}
  PgRows check(pg_result* r, std::string_view what);
  void consume();
  // Whether the server sent something (or closed the socket) not yet read.
  bool readable_now() const;
  // Reads it and counts notifications; false when the connection broke.
  bool absorb();
  pg_conn* c_;
  std::set<std::string, std::less<>> prepared_;
  std::set<std::string> channels_;
  std::vector<std::string> session_;
  std::map<std::string, std::int64_t> notified_;
};

// BEGIN ... COMMIT, rolled back by the destructor unless committed.
class PgTxn {
 public:
  explicit PgTxn(PgConn& c) : c_(c) { c_.exec("BEGIN"); }
  ~PgTxn();
  PgTxn(const PgTxn&) = delete;
  PgTxn& operator=(const PgTxn&) = delete;
  void commit() {
    c_.exec("COMMIT");
    done_ = true;
  }

 private:
  PgConn& c_;
  bool done_ = false;
};

}  // namespace renderq
