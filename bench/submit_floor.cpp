// The floor of a SQLite-durable submit run as its own process, for
// bench/submit_bench.sh: linked like renderq (static, SQLite included), it
// does only what any such submit must: open a WAL database, insert one row
// into a table with two indexes in BEGIN IMMEDIATE, commit with
// synchronous=FULL (one fdatasync), print the id. No options, no checks.
//
// Usage: submit_floor            exits at once (the cost of exec alone)
//        submit_floor init DB    creates DB
//        submit_floor DB         inserts one row, prints its id
#include <sqlite3.h>

#include <cstdio>
#include <cstring>

namespace {

int fail(sqlite3* db, const char* what) {
  std::fprintf(stderr, "submit_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "out of memory");
  sqlite3_close(db);
  return 1;
}

// As renderq's spool (spool/sqlite_db.cpp): a TRUNCATE checkpoint once the WAL passes 128 frames.
int checkpoint_when_long(void*, sqlite3* db, const char* schema, int frames) {
  if (frames >= 128) sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  return SQLITE_OK;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 0;
  const bool init = argc == 3 && std::strcmp(argv[1], "init") == 0;
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (init ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(argv[init ? 2 : 1], &db, flags, nullptr) != SQLITE_OK) return fail(db, "open");
  sqlite3_busy_timeout(db, 5000);
  const char* sql = init ? "PRAGMA journal_mode=WAL;"
                           "CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT, priority INT, spec TEXT);"
                           "CREATE INDEX jobs_claim ON jobs (priority DESC, id) WHERE state = 'queued';"
                           "CREATE INDEX jobs_state ON jobs (state, id);"
                         : "PRAGMA synchronous=FULL; BEGIN IMMEDIATE;"
                           "INSERT INTO jobs (state, priority, spec) VALUES ('queued', 0, randomblob(300));"
                           "COMMIT;";
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_wal_hook(db, &checkpoint_when_long, nullptr);
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return fail(db, init ? "create" : "insert");
  if (!init) std::printf("%lld\n", static_cast<long long>(sqlite3_last_insert_rowid(db)));
  sqlite3_close(db);
  return 0;
}
