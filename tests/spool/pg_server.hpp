// A private PostgreSQL server for tests: initdb and pg_ctl (Debian's
// postgresql package, /usr/lib/postgresql/<version>/bin, or
// $RENDERQ_PG_BINDIR) in a fresh temporary folder, listening only on a Unix
// socket in that folder, stopped and removed when the test process exits.
// PostgreSQL refuses to run as root, so as root (CI) it runs as the
// unprivileged `postgres` user (runuser) in a folder handed to that user.
// Each fresh_url() is an empty schema of its own, so test cases never see
// each other's jobs.
//
// Never skipped: when PostgreSQL is missing or will not start, start()
// throws and the test fails.
//
// Thread-safety: one test thread.
#pragma once

#include <filesystem>
#include <string>

namespace renderq::test {

class PgServer {
 public:
  // The process's server, started on first use. Throws std::runtime_error
  // with the server's log when it cannot start.
  static PgServer& instance();
  ~PgServer();
  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  // A postgresql:// URL whose search_path is a new, empty schema.
  std::string fresh_url();
  // The URL of the server's own database, default schema.
  std::string url() const;
  // Stops the server (fast) and starts it again on the same data: what a
  // restart in the middle of a run looks like to clients.
  void restart();

 private:
  PgServer();
  void start();  // initdb + pg_ctl start in dir_
  void run(const std::string& command, const std::string& what) const;
  std::filesystem::path dir_;
  std::string as_user_;  // "runuser -u postgres -- " when root, else ""
  std::string bindir_;
  int schemas_ = 0;
};

}  // namespace renderq::test
