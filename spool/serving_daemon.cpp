#include "spool/serving_daemon.hpp"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

#include "core/unique_fd.hpp"

namespace renderq {

std::optional<pid_t> serving_daemon_pid(const std::filesystem::path& spool_dir) {
  const std::string path = (spool_dir / "daemon.lock").string();
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW));
  if (!fd) return std::nullopt;
  std::optional<pid_t> pid;
  if (::flock(fd.get(), LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
    char buf[32] = {};
    ssize_t n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
    long value = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
    // A holder that has not written its pid yet is still a holder.
    pid = value > 0 ? static_cast<pid_t>(value) : pid_t{0};
  }
  return pid;  // closing fd also drops the shared lock if we got it
}

}  // namespace renderq
