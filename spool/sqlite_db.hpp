// One SQLite connection to a spool's queue.db, set up the way every renderq
// process must use it: WAL, a busy timeout, the schema migrated, statements
// from sql/sqlite/ prepared once and reused, writes in BEGIN IMMEDIATE.
// SqliteStore builds on it; the benchmark uses it to populate a queue fast.
//
// Thread-safety: one SqliteDb per thread (SQLite connections are not shared).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "spool/change_watch.hpp"

namespace renderq {

// How long a connection waits for another writer before Errc::Busy (see
// SqliteDb::on_busy). Writes are short (milliseconds), so hitting this means
// something is stuck.
inline constexpr std::chrono::milliseconds kBusyTimeout{10'000};

// Turns an exception from SQLiteCpp (or anything else) into an Error:
// SQLITE_BUSY/LOCKED -> Busy, CORRUPT/NOTADB -> SpoolCorrupt, READONLY/PERM
// -> PermissionDenied, IOERR/FULL/CANTOPEN -> Io, else Internal. `what`
// names the operation ("claim", "submit job") for the message.
Error sqlite_error(const std::exception& e, std::string_view what);

class SqliteDb {
 public:
  // The object must not move: SQLite's busy handler points at it.
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Opens (or, with create, creates) the database at `path` and applies
  // pending migrations in one transaction. Errc::NotFound when missing and
  // !create; Errc::SpoolCorrupt when the file is not a SQLite database or not
  // a renderq one (it is left untouched); Errc::SchemaTooNew when a newer
  // renderq wrote it; Errc::Busy when another process holds it too long.
  // busy_timeout: how long a statement waits for another process's lock
  // (tests shorten it).
  static Result<std::unique_ptr<SqliteDb>> open(const std::filesystem::path& path, bool create,
                                                std::chrono::milliseconds busy_timeout = kBusyTimeout);

  SQLite::Database& db() { return db_; }

  // A use of the prepared statement for sql/<path> (e.g.
  // "sqlite/claim.sql"), fresh bindings; reset when the Query goes out of
  // scope so no finished read keeps a snapshot open (which would stall WAL
  // checkpoints). Throws on a missing file or SQL error.
  class Query;
  Query query(std::string_view path);

  // Durability of the next commits: FULL syncs the WAL on every commit (an
  // acknowledged submit survives power loss); NORMAL only at checkpoints
  // (survives a crash of the process, may lose the last commits on power loss).
  void set_synchronous_full(bool full);

  // Number of transactions this connection committed (for change markers).
  std::int64_t commits() const { return commits_; }
  void note_commit() { ++commits_; }

 private:
  // One try of open(). Some of what opening does (the first switch to WAL,
  // reading a WAL index another process is rebuilding) can answer
  // SQLITE_BUSY without calling the busy handler; open() retries those.
  static Result<std::unique_ptr<SqliteDb>> open_once(const std::filesystem::path& path, bool create,
                                                     std::chrono::milliseconds busy_timeout);
  SqliteDb(const std::filesystem::path& path, int flags, std::chrono::milliseconds busy_timeout);
  static int on_busy(void* self, int count) noexcept;
  static int after_commit(void* self, struct sqlite3* db, const char* schema, int frames);
  SQLite::Database db_;
  std::chrono::milliseconds busy_timeout_;
  ChangeSignal signal_;  // written after every commit (wakes `renderq wait`)
  std::chrono::steady_clock::time_point busy_since_;
  std::uint64_t rng_;
  std::map<std::string, std::unique_ptr<SQLite::Statement>, std::less<>> stmts_;
  bool sync_full_ = false;
  std::int64_t commits_ = 0;
};

class SqliteDb::Query {
 public:
  explicit Query(SQLite::Statement& s) : s_(&s) {}
  Query(Query&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Query& operator=(Query&&) = delete;
  ~Query() {
    if (s_) s_->tryReset();
  }
  SQLite::Statement* operator->() { return s_; }
  SQLite::Statement& operator*() { return *s_; }

 private:
  SQLite::Statement* s_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless committed.
// Immediate because a deferred transaction that reads and then writes can
// fail with SQLITE_BUSY at once, without waiting for the busy timeout.
// Throws like SQLiteCpp; SqliteStore catches at its boundary.
class ImmediateTxn {
 public:
  explicit ImmediateTxn(SqliteDb& db);
  ~ImmediateTxn();
  ImmediateTxn(const ImmediateTxn&) = delete;
  ImmediateTxn& operator=(const ImmediateTxn&) = delete;
  void commit();

 private:
  SqliteDb& db_;
  bool done_ = false;
};

}  // namespace renderq
