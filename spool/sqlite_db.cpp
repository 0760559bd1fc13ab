#include "spool/sqlite_db.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <string>
#include <system_error>
#include <thread>

#include "spool/sql_text.hpp"

namespace renderq {
namespace {

// PRAGMA application_id of a renderq spool: "RNDQ". Set by sql/0001_init.sql.
constexpr std::int64_t kApplicationId = 0x524E4451;

// One-row PRAGMA results; the statement is finalized before returning, so
// it never keeps a read open (a pending statement makes COMMIT fail).
std::int64_t pragma_int(SQLite::Database& db, const char* sql) {
  SQLite::Statement s(db, sql);
  return s.executeStep() ? s.getColumn(0).getInt64() : 0;
}

std::string pragma_text(SQLite::Database& db, const char* sql) {
  SQLite::Statement s(db, sql);
  return s.executeStep() ? s.getColumn(0).getString() : std::string();
}

// Replaces SQLite's automatic checkpoint (a PASSIVE one at 1000 frames).
// With no checkpoint on close, a process that opens the spool while no other
// connection is open rebuilds the WAL index from the WAL and forgets how much
// of it was already copied back: the WAL was then never reset, grew with
// every submit, and every command read all of it (measured after 300 submits
// without a daemon: a 5.2 MB WAL, 1275 reads and 2x the CPU per `status`,
// and each commit copying every frame again). A TRUNCATE checkpoint once the
// WAL passes kWalTruncateFrames empties the file, so that read stays short.
// A busy checkpoint is simply retried after a later commit.
constexpr int kWalTruncateFrames = 128;

}  // namespace

// SQLite calls this after every commit in WAL mode, once the commit is
// visible to other connections and the write lock is released: the moment
// to wake waiters (spool/change_watch.hpp), then to checkpoint a long WAL.
int SqliteDb::after_commit(void* self, sqlite3* db, const char* schema, int frames) {
  static_cast<SqliteDb*>(self)->signal_.notify();
  if (frames >= kWalTruncateFrames)
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  return SQLITE_OK;
}

Error sqlite_error(const std::exception& e, std::string_view what) {
  std::string detail(what);
  detail += ": ";
  detail += e.what();
  const auto* se = dynamic_cast<const SQLite::Exception*>(&e);
  if (se == nullptr) return Error{Errc::Internal, detail};
  switch (se->getErrorCode() & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{Errc::Busy, detail + " (another process kept the spool locked past the busy timeout)"};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error{Errc::SpoolCorrupt, detail};
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Error{Errc::PermissionDenied, detail};
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
      return Error{Errc::Io, detail};
    default:
      return Error{Errc::Internal, detail};
  }
}

// The busy handler. SQLite's own (sqlite3_busy_timeout) sleeps in growing
// steps up to 100 ms and then tries once per 100 ms; with ten processes
// writing back to back, a sleeper wakes to find the lock taken again and
// again, and can starve past any timeout (the concurrency test showed a
// claimer starving for 10 s). Short randomised sleeps give every waiter a
// try at almost every release, so waits stay near the real queue length.
int SqliteDb::on_busy(void* self_ptr, int count) noexcept {
  auto* self = static_cast<SqliteDb*>(self_ptr);
  const auto now = std::chrono::steady_clock::now();
  if (count == 0) self->busy_since_ = now;
  if (now - self->busy_since_ >= self->busy_timeout_) return 0;
  // 0.25-1.25 ms; a cheap LCG is random enough to break ties.
  self->rng_ = self->rng_ * 6364136223846793005ULL + 1442695040888963407ULL;
  const auto us = 250 + static_cast<long>((self->rng_ >> 33) % 1000);
  std::this_thread::sleep_for(std::chrono::microseconds(us));
  return 1;
}

SqliteDb::SqliteDb(const std::filesystem::path& path, int flags, std::chrono::milliseconds busy_timeout)
    : db_(path, flags),
      busy_timeout_(busy_timeout),
      signal_(path),
      rng_(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           reinterpret_cast<std::uintptr_t>(this)) {
  sqlite3_busy_handler(db_.getHandle(), &SqliteDb::on_busy, this);
  // Most renderq processes are short (one submit, one status). By default
  // the last connection to close checkpoints the WAL into queue.db and
  // deletes it, so every such process paid two extra fsyncs plus the WAL's
  // re-creation (measured: 3 fdatasync calls per submit instead of 1).
  // Leaving the WAL in place is safe: the next opener reads it, and the
  // automatic checkpoint (every 1000 pages) bounds its size.
  sqlite3_db_config(db_.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_wal_hook(db_.getHandle(), &SqliteDb::after_commit, this);
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::open(const std::filesystem::path& path, bool create,
                                                 std::chrono::milliseconds busy_timeout) {
  // Seen under load with 8 processes opening a new spool at once: "database
  // is locked" after 2 s, well inside the busy timeout.
  const auto start = std::chrono::steady_clock::now();
  for (int attempt = 0;; ++attempt) {
    Result<std::unique_ptr<SqliteDb>> r = open_once(path, create, busy_timeout);
    if (r || r.error().code != Errc::Busy || std::chrono::steady_clock::now() - start >= busy_timeout) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + (attempt * 7) % 20));
  }
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::open_once(const std::filesystem::path& path, bool create,
                                                      std::chrono::milliseconds busy_timeout) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec))
    return fail(Errc::NotFound, "no queue at " + path.string());
  const Result<std::vector<Migration>> steps = migrations();
  if (!steps) return std::unexpected(steps.error());
  const auto latest = static_cast<std::int64_t>(steps->size());

  std::unique_ptr<SqliteDb> self;
  std::int64_t version = 0;
  try {
    self.reset(new SqliteDb(path, SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0), busy_timeout));
    SQLite::Database& db = self->db_;
    // Phase 1: read only. A file that is not SQLite fails here with
    // SQLITE_NOTADB before anything could be written to it.
    // One statement, so one snapshot: read separately, another process's
    // first migration could commit between the reads and make a fresh
    // spool look like a foreign database (tables present, no application id).
    SQLite::Statement head(db,
                           "SELECT (SELECT user_version FROM pragma_user_version),"
                           " (SELECT application_id FROM pragma_application_id),"
                           " (SELECT count(*) FROM sqlite_schema)");
    head.executeStep();
    version = head.getColumn(0).getInt64();
    const std::int64_t app_id = head.getColumn(1).getInt64();
    const std::int64_t objects = head.getColumn(2).getInt64();
    if (version > latest)
      return fail(Errc::SchemaTooNew, path.string() + " has schema version " + std::to_string(version) +
                                          ", newer than this renderq understands (" + std::to_string(latest) +
                                          "); use a newer renderq");
    if ((version > 0 || objects > 0 || app_id != 0) && app_id != kApplicationId)
      return fail(Errc::SpoolCorrupt, path.string() + " is a SQLite database but not a renderq queue; left untouched");
  } catch (const std::exception& e) {
    Error err = sqlite_error(e, "open " + path.string());
    if (err.code == Errc::SpoolCorrupt)
      err.detail = path.string() + " is not a renderq queue database (corrupt or another kind of file); left untouched";
    return std::unexpected(err);
  }
  try {
    SQLite::Database& db = self->db_;
    // Phase 2: WAL (persistent in the file, so normally already set), then
    // the migrations, re-checked under the write lock because another
    // process may have migrated meanwhile.
    if (pragma_text(db, "PRAGMA journal_mode") != "wal" && pragma_text(db, "PRAGMA journal_mode=WAL") != "wal")
      return fail(Errc::Io, "cannot switch " + path.string() + " to WAL mode");
    db.exec("PRAGMA synchronous=NORMAL");
    if (version < latest) {
      ImmediateTxn txn(*self);
      version = pragma_int(db, "PRAGMA user_version");
      if (version > latest) return fail(Errc::SchemaTooNew, path.string() + " was upgraded by a newer renderq meanwhile");
      for (const Migration& m : *steps)
        if (m.version > version) db.exec(std::string(m.text));
      db.exec("PRAGMA user_version=" + std::to_string(latest));
      txn.commit();
    }
  } catch (const std::exception& e) {
    return std::unexpected(sqlite_error(e, "open " + path.string()));
  }
  return self;
}

SqliteDb::Query SqliteDb::query(std::string_view path) {
  auto it = stmts_.find(path);
  if (it == stmts_.end()) {
    const Result<std::string_view> text = sql_text(path);
    if (!text) throw std::runtime_error(text.error().message());
    it = stmts_.emplace(std::string(path), std::make_unique<SQLite::Statement>(db_, std::string(*text))).first;
  } else {
    it->second->clearBindings();
  }
  return Query(*it->second);
}

void SqliteDb::set_synchronous_full(bool full) {
  if (full == sync_full_) return;
  db_.exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  sync_full_ = full;
}

ImmediateTxn::ImmediateTxn(SqliteDb& db) : db_(db) { db_.db().exec("BEGIN IMMEDIATE"); }

ImmediateTxn::~ImmediateTxn() {
  // SQLite may already have rolled back on some errors (then autocommit is
  // back on and a ROLLBACK would only fail).
  if (!done_ && sqlite3_get_autocommit(db_.db().getHandle()) == 0) db_.db().tryExec("ROLLBACK");
}

void ImmediateTxn::commit() {
  db_.db().exec("COMMIT");
  done_ = true;
  db_.note_commit();
}

}  // namespace renderq
