// The spool folder: where it is, how it is created, what it refuses.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <poll.h>

#include <catch2/catch.hpp>

#include "spool/spool.hpp"
#include "spool/sql_text.hpp"
#include "spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

namespace {

// Sets (or unsets, with nullptr) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

Result<Spool> open_at(const std::filesystem::path& dir, bool create = true) {
  return Spool::open(SpoolOptions{.dir = dir.string(), .create = create});
}

}  // namespace

TEST_CASE("resolve_spool_dir: flag, then RENDERQ_SPOOL, then XDG_STATE_HOME, then HOME", "[spool]") {
  ScopedEnv home("HOME", "/home/u");
  ScopedEnv spool("RENDERQ_SPOOL", nullptr);
  ScopedEnv xdg("XDG_STATE_HOME", nullptr);
  CHECK(resolve_spool_dir("") == "/home/u/.local/state/renderq");
  {
    ScopedEnv x("XDG_STATE_HOME", "relative/ignored");
    CHECK(resolve_spool_dir("") == "/home/u/.local/state/renderq");
  }
  ScopedEnv x("XDG_STATE_HOME", "/state");
  CHECK(resolve_spool_dir("") == "/state/renderq");
  ScopedEnv s("RENDERQ_SPOOL", "/var/spool/rq");
  CHECK(resolve_spool_dir("") == "/var/spool/rq");
  CHECK(resolve_spool_dir("/tmp/q/") == "/tmp/q/");
  CHECK(resolve_spool_dir("rel") == (std::filesystem::current_path() / "rel").string());
}

TEST_CASE("open creates the spool folder with mode 0700, queue.db in WAL and the wake FIFO", "[spool]") {
  TempDir t;
  const std::filesystem::path dir = t.path() / "a" / "spool";
  Result<Spool> s = open_at(dir);
  REQUIRE(s.has_value());
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat((t.path() / "a").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(std::filesystem::exists(dir / "queue.db"));
  CHECK(std::filesystem::exists(dir / "queue.db-wal"));
  CHECK(std::filesystem::is_fifo(dir / "wake.fifo"));

  const std::filesystem::path jd = s->make_job_dir(JobId{12}).value();
  CHECK(jd == dir / "jobs" / "12");
  CHECK(s->job_log(JobId{12}) == jd / "job.log");
  REQUIRE(::stat(jd.c_str(), &st) == 0);
  // At most 0750 (the umask may take more): the 0700 spool folder keeps
  // others out, and a shared spool's group (daemon, submit helper) reads it.
  CHECK((st.st_mode & 0700) == 0700);
  CHECK((st.st_mode & 0777 & ~0750u) == 0);
  write_file(jd / "job.log", "x");
  REQUIRE(s->remove_job_dir(JobId{12}).has_value());
  CHECK_FALSE(std::filesystem::exists(jd));
  CHECK(s->remove_job_dir(JobId{12}).has_value());
}

TEST_CASE("open without create refuses a missing spool and creates nothing", "[spool]") {
  TempDir t;
  const Result<Spool> s = open_at(t.path() / "none", false);
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == Errc::NotFound);
  CHECK_FALSE(std::filesystem::exists(t.path() / "none"));
  std::filesystem::create_directory(t.path() / "empty");
  CHECK(open_at(t.path() / "empty", false).error().code == Errc::NotFound);
  CHECK_FALSE(std::filesystem::exists(t.path() / "empty" / "queue.db"));
}

TEST_CASE("a spool on a network file system is refused unless forced", "[spool][fs]") {
  TempDir t;
  const auto nfs = [](const std::filesystem::path&) -> Result<std::uint64_t> { return 0x6969; };
  Result<Spool> s = Spool::open(SpoolOptions{.dir = t.path().string(), .fs_probe = nfs});
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == Errc::SpoolUnsafeFilesystem);
  CHECK(s.error().detail.find("nfs") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(t.path() / "queue.db"));
  CHECK(Spool::open(SpoolOptions{.dir = t.path().string(), .allow_network_fs = true, .fs_probe = nfs})
            .has_value());
}

TEST_CASE("file system types: network ones are unsafe, local ones are fine", "[spool][fs]") {
  for (std::uint64_t t : {0x6969ULL, 0xFF534D42ULL, 0xFE534D42ULL, 0x517BULL, 0x65735546ULL, 0x01021997ULL})
    CHECK(unsafe_fs_name(t).has_value());
  for (std::uint64_t t : {0xEF53ULL /*ext4*/, 0x58465342ULL /*xfs*/, 0x9123683EULL /*btrfs*/,
                          0x01021994ULL /*tmpfs*/, 0x794C7630ULL /*overlayfs*/})
    CHECK_FALSE(unsafe_fs_name(t).has_value());
  TempDir d;
  CHECK(check_spool_filesystem(d.path(), false).has_value());  // the test folder is local
  const auto broken = [](const std::filesystem::path&) -> Result<std::uint64_t> { return fail(Errc::Io, "x"); };
  CHECK(check_spool_filesystem(d.path(), false, broken).error().code == Errc::Io);
}

TEST_CASE("a corrupt queue.db is refused and left byte for byte as it was", "[spool][corrupt]") {
  TempDir t;
  const std::string junk = "this is not a database, but it must survive renderq\n" + std::string(5000, 'x');
  write_file(t.path() / "queue.db", junk);
  const Result<Spool> s = open_at(t.path());
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == Errc::SpoolCorrupt);
  CHECK(read_file(t.path() / "queue.db") == junk);
  CHECK_FALSE(std::filesystem::exists(t.path() / "queue.db-wal"));
}

TEST_CASE("a SQLite file that is not a renderq queue is refused untouched", "[spool][corrupt]") {
  TempDir t;
  {
    SQLite::Database db((t.path() / "queue.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE mine (x); INSERT INTO mine VALUES (1)");
  }
  const std::string before = read_file(t.path() / "queue.db");
  CHECK(open_at(t.path()).error().code == Errc::SpoolCorrupt);
  CHECK(read_file(t.path() / "queue.db") == before);
}

TEST_CASE("a spool written by a newer renderq is refused", "[spool][schema]") {
  TempDir t;
  REQUIRE(open_at(t.path()).has_value());
  const auto latest = static_cast<int>(migrations().value().size());
  {
    SQLite::Database db((t.path() / "queue.db").string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version=" + std::to_string(latest + 1));
  }
  const Result<Spool> s = open_at(t.path());
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == Errc::SchemaTooNew);
  // Still refused, still at the newer version: nothing was downgraded.
  SQLite::Database db((t.path() / "queue.db").string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == latest + 1);
}

TEST_CASE("opening an existing spool keeps its jobs and migrates nothing twice", "[spool][schema]") {
  TempDir t;
  JobId id;
  {
    Result<Spool> s = open_at(t.path());
    REQUIRE(s.has_value());
    id = s->store().submit(job()).value();
  }
  Result<Spool> s = open_at(t.path(), false);
  REQUIRE(s.has_value());
  CHECK(s->store().get(id).has_value());
  SQLite::Database db((t.path() / "queue.db").string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("PRAGMA user_version").getInt() == static_cast<int>(migrations().value().size()));
  CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("migrations are numbered without gaps and embedded verbatim from sql/", "[spool][schema]") {
  const std::vector<Migration> m = migrations().value();
  REQUIRE_FALSE(m.empty());
  CHECK(m.front().path == "0001_init.sql");
  for (const EmbeddedSql& f : embedded_sql())
    CHECK(f.text == read_file(std::filesystem::path(RENDERQ_SOURCE_DIR) / "sql" / std::string(f.path)));
  CHECK(sql_text("sqlite/claim.sql").has_value());
  CHECK(sql_text("sqlite/nope.sql").error().code == Errc::Internal);
}

TEST_CASE("wake makes the listener's fd readable, without a listener it does nothing", "[spool][wake]") {
  TempDir t;
  Result<Spool> s = open_at(t.path());
  REQUIRE(s.has_value());
  s->wake();  // nobody listens: must neither block nor fail
  Result<WakeListener> l = WakeListener::open(t.path());
  REQUIRE(l.has_value());
  pollfd p{.fd = l->fd(), .events = POLLIN, .revents = 0};
  CHECK(::poll(&p, 1, 0) == 0);
  s->wake();
  s->wake();
  CHECK(::poll(&p, 1, 1000) == 1);
  l->drain();
  p.revents = 0;
  CHECK(::poll(&p, 1, 0) == 0);
}

TEST_CASE("owner_alive_here: this process lives, another boot or a gone pid does not", "[spool][owner]") {
  const Owner self = current_owner();
  CHECK(self.pid == ::getpid());
  CHECK_FALSE(self.host.empty());
  CHECK(owner_alive_here(self, self));
  Owner rebooted = self;
  rebooted.boot_id = "another-boot";
  CHECK_FALSE(owner_alive_here(rebooted, self));
  Owner elsewhere = self;
  elsewhere.host = "another-host";
  elsewhere.pid = 1 << 30;
  CHECK(owner_alive_here(elsewhere, self));
  Owner gone = self;
  gone.pid = 1 << 30;  // above pid_max
  CHECK_FALSE(owner_alive_here(gone, self));
}
