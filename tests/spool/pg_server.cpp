#include "tests/spool/pg_server.hpp"

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "spool/pg_conn.hpp"

namespace renderq::test {
namespace {

std::string find_bindir() {
  if (const char* env = std::getenv("RENDERQ_PG_BINDIR"); env && *env) return env;
  std::error_code ec;
  std::string best;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::filesystem::path bin = e.path() / "bin";
    if (std::filesystem::exists(bin / "initdb") && std::filesystem::exists(bin / "pg_ctl") &&
        bin.string() > best)
      best = bin.string();
  }
  if (best.empty())
    throw std::runtime_error(
        "PostgreSQL's initdb and pg_ctl not found under /usr/lib/postgresql/*/bin (install the postgresql "
        "package: scripts/install-deps.sh test) or set RENDERQ_PG_BINDIR");
  return best;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

PgServer& PgServer::instance() {
  static PgServer server;
  return server;
}

PgServer::PgServer() : bindir_(find_bindir()) {
  std::string templ = (std::filesystem::temp_directory_path() / "renderq-pg-test-XXXXXX").string();
  if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = templ;
  try {
    start();
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

void PgServer::start() {
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root and no unprivileged `postgres` user to run PostgreSQL as");
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown of the test folder failed");
    as_user_ = "runuser -u postgres -- ";
  }
  // Durability off: these servers live for one test process.
  run(bindir_ + "/initdb -D " + (dir_ / "data").string() +
          " -U postgres --auth=trust -E UTF8 --no-sync --no-instructions >" + (dir_ / "initdb.log").string() +
          " 2>&1",
      "initdb");
  run(bindir_ + "/pg_ctl -D " + (dir_ / "data").string() + " -l " + (dir_ / "server.log").string() +
          " -w -t 60 -o \"-k " + dir_.string() +
          " -c listen_addresses= -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start"
          " >/dev/null 2>&1",
      "pg_ctl start");
}

PgServer::~PgServer() {
  const std::string stop = "cd / && " + as_user_ + bindir_ + "/pg_ctl -D " + (dir_ / "data").string() +
                           " -m immediate -w stop >/dev/null 2>&1";
  [[maybe_unused]] const int rc = std::system(stop.c_str());
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void PgServer::run(const std::string& command, const std::string& what) const {
  // From /: the postgres user may not be allowed into our working folder.
  const std::string full = "cd / && " + as_user_ + command;
  if (std::system(full.c_str()) != 0)
    throw std::runtime_error("PostgreSQL test server: " + what + " failed:\n" + read_file(dir_ / "initdb.log") +
                             read_file(dir_ / "server.log"));
}

std::string PgServer::url() const {
  return "postgresql://postgres@/postgres?host=" + dir_.string() + "&port=5432";
}

std::string PgServer::fresh_url() {
  const std::string schema = "t" + std::to_string(++schemas_);
  Result<std::unique_ptr<PgConn>> c = PgConn::connect(url());
  if (!c) throw std::runtime_error(c.error().message());
  (*c)->exec("CREATE SCHEMA " + schema);
  return url() + "&options=-csearch_path%3D" + schema;
}

void PgServer::restart() {
  run(bindir_ + "/pg_ctl -D " + (dir_ / "data").string() + " -m fast -w restart >/dev/null 2>&1", "pg_ctl restart");
}

}  // namespace renderq::test
