#include "daemon/daemon_log.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "core/duration.hpp"
#include "daemon/job_log.hpp"

namespace renderq {

Result<void> open_daemon_log(const std::string& path) {
  if (path.empty()) return {};
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::Io, "cannot open log " + path + ": " + std::strerror(errno));
  int rc = ::dup2(fd, STDERR_FILENO);  // dup2 clears close-on-exec on fd 2
  ::close(fd);
  if (rc < 0) return fail(Errc::Io, "cannot redirect stderr to " + path + ": " + std::strerror(errno));
  return {};
}

void daemon_log(std::string_view text) {
  std::string out = log_timestamp(now_unix_ms());
  out += " renderq-daemon[" + std::to_string(getpid()) + "]: ";
  out.append(text);
  out.push_back('\n');
  (void)!::write(STDERR_FILENO, out.data(), out.size());
}

}  // namespace renderq
