// The daemon's process plumbing: the spool lock, job logs, child processes.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/child_process.hpp"
#include "daemon/daemon_lock.hpp"
#include "spool/serving_daemon.hpp"
#include "daemon/job_log.hpp"
#include "daemon/protocol.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
namespace fs = std::filesystem;

namespace {

using test::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("a second daemon lock on one spool is refused with SpoolLocked", "[daemon][lock]") {
  TempDir dir;
  REQUIRE_FALSE(serving_daemon_pid(dir.path));
  Result<DaemonLock> first = DaemonLock::acquire(dir.path);
  REQUIRE(first);
  first->write_pid(4242);
  Result<DaemonLock> second = DaemonLock::acquire(dir.path);
  REQUIRE_FALSE(second);
  REQUIRE(second.error().code == Errc::SpoolLocked);
  REQUIRE(second.error().detail.find("4242") != std::string::npos);
  REQUIRE(serving_daemon_pid(dir.path) == 4242);
  { DaemonLock gone = std::move(*first); }
  REQUIRE_FALSE(serving_daemon_pid(dir.path));
  REQUIRE(DaemonLock::acquire(dir.path));  // released with its holder
}

TEST_CASE("the lock dies with its process, however it dies", "[daemon][lock]") {
  TempDir dir;
  pid_t child = ::fork();
  if (child == 0) {
    Result<DaemonLock> lock = DaemonLock::acquire(dir.path);
    if (!lock) ::_exit(1);
    lock->write_pid(::getpid());
    ::pause();
    ::_exit(0);
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (serving_daemon_pid(dir.path) != child && std::chrono::steady_clock::now() < until) ::usleep(1000);
  REQUIRE(serving_daemon_pid(dir.path) == child);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(DaemonLock::acquire(dir.path));
}

TEST_CASE("job log lines are timestamped and appended whole", "[daemon][joblog]") {
  TempDir dir;
  fs::path path = dir.path / "job.log";
  {
    Result<JobLog> a = JobLog::open(path);
    Result<JobLog> b = JobLog::open(path);
    REQUIRE(a);
    REQUIRE(b);
    a->line("daemon", "claimed");
    b->line("worker", "rendering");
    a->line("daemon", "done");
  }
  std::string text = slurp(path);
  REQUIRE(text.find("daemon: claimed\n") != std::string::npos);
  REQUIRE(text.find("worker: rendering\n") < text.find("daemon: done\n"));
  REQUIRE(text.rfind("20", 0) == 0);  // starts with the year
  REQUIRE(log_timestamp(0) == "1970-01-01T00:00:00.000Z");
  REQUIRE(log_timestamp(1'700'000'000'123) == "2023-11-14T22:13:20.123Z");
  REQUIRE(JobLog::open(dir.path / "missing" / "job.log").error().code == Errc::Io);
  JobLog closed;
  closed.line("x", "y");  // a closed log ignores lines
}

TEST_CASE("a log line after a command's unfinished line starts on a line of its own", "[daemon][process]") {
  TempDir dir;
  fs::path path = dir.path / "job.log";
  Result<JobLog> log = JobLog::open(path);
  REQUIRE(log);
  std::ofstream(path, std::ios::app) << "abc";  // what `printf abc` leaves
  log->line("daemon", "ended");
  std::ofstream(path, std::ios::app) << "def\n";
  log->line("daemon", "again");
  const std::string text = slurp(path);
  CHECK(text.rfind("abc\n20", 0) == 0);
  CHECK(text.find("daemon: ended\ndef\n20") != std::string::npos);
  CHECK(text.find("\n\n") == std::string::npos);
}

TEST_CASE("a child gets fd 3 as its socket and a piped stderr", "[daemon][process]") {
  Result<ChildProcess> c =
      spawn_child("/bin/sh", {"sh", "-c", "read line <&3; echo \"got $line\" >&3; echo oops >&2; exit 3"});
  REQUIRE(c);
  std::string msg = "hello\n";
  REQUIRE(::write(c->sock.get(), msg.data(), msg.size()) == static_cast<ssize_t>(msg.size()));
  int status = 0;
  REQUIRE(::waitpid(c->pid, &status, 0) == c->pid);
  REQUIRE(describe_wait_status(status) == "exited with status 3");
  wire::LineBuffer out, err;
  char buf[256];
  ssize_t n = ::read(c->sock.get(), buf, sizeof buf);
  REQUIRE(n > 0);
  out.append(std::string_view(buf, static_cast<std::size_t>(n)));
  REQUIRE(*out.next_line() == "got hello");
  n = ::read(c->err.get(), buf, sizeof buf);
  REQUIRE(n > 0);
  err.append(std::string_view(buf, static_cast<std::size_t>(n)));
  REQUIRE(*err.next_line() == "oops");
}

TEST_CASE("a killed child is described by its signal, its rss is readable while alive", "[daemon][process]") {
  Result<ChildProcess> c = spawn_child("/bin/sleep", {"sleep", "30"});
  REQUIRE(c);
  REQUIRE(process_rss_bytes(::getpid()) > 0);
  ::kill(c->pid, SIGKILL);
  int status = 0;
  ::waitpid(c->pid, &status, 0);
  REQUIRE(describe_wait_status(status).rfind("killed by signal 9", 0) == 0);
  REQUIRE(process_rss_bytes(c->pid) == 0);
}
