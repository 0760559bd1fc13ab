#include "daemon/daemonize.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/daemon_log.hpp"

namespace renderq {

void StartupReport::ready() { failed(0, {}); }

void StartupReport::failed(int exit_code, std::string_view message) {
  if (!fd_) return;
  std::string text = std::to_string(exit_code) + " " + std::string(message);
  (void)!::write(fd_.get(), text.data(), text.size());
  fd_.reset();
}

namespace {

// The original process: wait for the daemon's word, then exit with it.
[[noreturn]] void wait_for_report(int fd, pid_t middle) {
  std::string text;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  int status = 0;
  ::waitpid(middle, &status, 0);
  if (text.empty()) {
    std::fputs("renderq: the daemon exited during start-up (see its log)\n", stderr);
    std::exit(1);
  }
  int code = std::atoi(text.c_str());
  std::size_t space = text.find(' ');
  std::string message = space == std::string::npos ? "" : text.substr(space + 1);
  if (!message.empty()) std::fprintf(stderr, "renderq: %s\n", message.c_str());
  std::fflush(stderr);
  std::exit(code);
}

}  // namespace

Result<StartupReport> daemonize(const std::string& log_path) {
  UniqueFd log(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
  if (!log) return fail(Errc::Io, "cannot open log " + log_path + ": " + std::strerror(errno));
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return fail(Errc::Io, std::string("pipe: ") + std::strerror(errno));
  UniqueFd report_read(p[0]), report_write(p[1]);
  std::fflush(nullptr);
  pid_t middle = ::fork();
  if (middle < 0) return fail(Errc::Io, std::string("fork: ") + std::strerror(errno));
  if (middle > 0) {
    report_write.reset();
    log.reset();
    wait_for_report(report_read.get(), middle);
  }
  report_read.reset();
  ::setsid();
  pid_t daemon = ::fork();
  if (daemon != 0) ::_exit(daemon < 0 ? 1 : 0);  // the middle process; the daemon is re-parented
  if (::chdir("/") != 0) { /* "/" always exists */ }
  int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    if (null > STDERR_FILENO) ::close(null);
  }
  ::dup2(log.get(), STDERR_FILENO);
  return StartupReport(std::move(report_write));
}

}  // namespace renderq
