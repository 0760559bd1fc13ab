#include "daemon/daemon_log.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "core/duration.hpp"
#include "daemon/job_log.hpp"

namespace renderq {

namespace {

// Whether stderr is the journal: -1 = not looked at since stderr last moved.
int g_journal = -1;

}  // namespace

Result<void> open_daemon_log(const std::string& path) {
  if (path.empty()) return {};
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::Io, "cannot open log " + path + ": " + std::strerror(errno));
  int rc = ::dup2(fd, STDERR_FILENO);  // dup2 clears close-on-exec on fd 2
  ::close(fd);
  if (rc < 0) return fail(Errc::Io, "cannot redirect stderr to " + path + ": " + std::strerror(errno));
  g_journal = -1;
  return {};
}

std::string format_daemon_line(LogLevel level, std::string_view text, bool journal) {
  if (journal) return format_log_line(level, text, true);
  std::string out = log_timestamp(now_unix_ms());
  out += " renderq-daemon[" + std::to_string(getpid()) + "]: ";
  out.append(text);
  out.push_back('\n');
  return out;
}

void daemon_log(LogLevel level, std::string_view text) {
  if (g_journal < 0) g_journal = fd_is_journal(STDERR_FILENO) ? 1 : 0;
  std::string out = format_daemon_line(level, text, g_journal == 1);
  (void)!::write(STDERR_FILENO, out.data(), out.size());
}

}  // namespace renderq
