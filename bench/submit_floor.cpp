// The floors of a durable submit, for bench/submit_bench.sh. Linked like
// renderq (static, SQLite included) and doing nothing but the essentials:
// no options, no checks, no spool folder.
//
//   submit_floor                   exits at once: the cost of exec alone
//   submit_floor init DB           creates DB (WAL, a jobs table, two indexes)
//   submit_floor DB                the least SQLite-durable submit run as its
//                                  own process: open DB, insert one row in
//                                  BEGIN IMMEDIATE, commit with
//                                  synchronous=FULL (one fdatasync), print the id
//   submit_floor serve DB SOCKET   a server holding DB open that stores one row
//                                  per connection the same way and answers the id
//   submit_floor send SOCKET       its client: the least a submit handed to a
//                                  running server costs (tsp's design, made durable)
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace {

constexpr const char* kCreate =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT, priority INT, spec TEXT);"
    "CREATE INDEX jobs_claim ON jobs (priority DESC, id) WHERE state = 'queued';"
    "CREATE INDEX jobs_state ON jobs (state, id);";
constexpr const char* kInsert = "INSERT INTO jobs (state, priority, spec) VALUES ('queued', 0, ?1) RETURNING id";
constexpr std::string_view kSpec = R"({"version":1,"scene":"/s/Box.glb","output":"/o/b.png","width":512,"height":512})";

int fail(sqlite3* db, const char* what) {
  std::fprintf(stderr, "submit_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : std::strerror(errno));
  sqlite3_close(db);
  return 1;
}

// As renderq's spool (spool/sqlite_db.cpp): a TRUNCATE checkpoint once the WAL passes 128 frames.
int checkpoint_when_long(void*, sqlite3* db, const char* schema, int frames) {
  if (frames >= 128) sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  return SQLITE_OK;
}

sqlite3* open_db(const char* path, bool create) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path, &db, flags, nullptr) != SQLITE_OK) {
    fail(db, "open");
    return nullptr;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_wal_hook(db, &checkpoint_when_long, nullptr);
  return db;
}

// One durable insert; the new id, or -1.
long long insert(sqlite3* db, sqlite3_stmt* stmt, std::string_view spec) {
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) return -1;
  sqlite3_bind_text(stmt, 1, spec.data(), static_cast<int>(spec.size()), SQLITE_TRANSIENT);
  const long long id = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_reset(stmt);
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return -1;
  return id;
}

sockaddr_un socket_address(const char* path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path, sizeof a.sun_path - 1);
  return a;
}

int serve(const char* db_path, const char* socket_path) {
  sqlite3* db = open_db(db_path, false);
  if (db == nullptr) return 1;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db, kInsert, -1, &stmt, nullptr) != SQLITE_OK)
    return fail(db, "prepare");
  const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_un a = socket_address(socket_path);
  ::unlink(socket_path);
  if (s < 0 || ::bind(s, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 || ::listen(s, 64) != 0)
    return fail(nullptr, "listen");
  for (;;) {
    const int c = ::accept4(s, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    char buf[4096];
    const ssize_t n = ::read(c, buf, sizeof buf);
    if (n > 0) {
      char out[32];
      const int m = std::snprintf(out, sizeof out, "%lld\n", insert(db, stmt, std::string_view(buf, n)));
      [[maybe_unused]] const ssize_t w = ::write(c, out, m);
    }
    ::close(c);
  }
}

int send(const char* socket_path) {
  const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_un a = socket_address(socket_path);
  if (s < 0 || ::connect(s, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return fail(nullptr, "connect");
  char buf[64];
  ssize_t n = 0;
  if (::write(s, kSpec.data(), kSpec.size()) != static_cast<ssize_t>(kSpec.size()) ||
      (n = ::read(s, buf, sizeof buf)) <= 0 || buf[0] == '-')
    return fail(nullptr, "no id from the server");
  std::fwrite(buf, 1, static_cast<std::size_t>(n), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 0;
  const std::string_view mode = argv[1];
  if (mode == "serve" && argc == 4) return serve(argv[2], argv[3]);
  if (mode == "send" && argc == 3) return send(argv[2]);
  if (mode == "init" && argc == 3) {
    sqlite3* db = open_db(argv[2], true);
    if (db == nullptr || sqlite3_exec(db, kCreate, nullptr, nullptr, nullptr) != SQLITE_OK) return fail(db, "create");
    sqlite3_close(db);
    return 0;
  }
  sqlite3* db = open_db(argv[1], false);
  sqlite3_stmt* stmt = nullptr;
  if (db == nullptr) return 1;
  if (sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db, kInsert, -1, &stmt, nullptr) != SQLITE_OK)
    return fail(db, "prepare");
  const long long id = insert(db, stmt, kSpec);
  if (id < 0) return fail(db, "insert");
  std::printf("%lld\n", id);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return 0;
}
