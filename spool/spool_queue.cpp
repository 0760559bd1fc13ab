#include "spool/spool_queue.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "spool/change_watch.hpp"
#include "spool/serving_daemon.hpp"

namespace renderq {

std::unique_ptr<ChangeSource> SpoolQueue::watch_changes() {
  return std::make_unique<ChangeWatch>(ChangeWatch::open(spool_.dir()));
}

Result<std::int64_t> SpoolQueue::read_log(JobId id, std::int64_t offset,
                                          const std::function<void(std::string_view)>& out) {
  // The log is appended by other processes; a missing file is a job that
  // has not started yet.
  const int fd = ::open(spool_.job_log(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return offset;
  if (fd < 0) return fail(Errc::Io, "cannot read " + spool_.job_log(id).string() + ": " + std::strerror(errno));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(offset));
    if (n <= 0) break;
    out(std::string_view(buf, static_cast<std::size_t>(n)));
    offset += n;
  }
  ::close(fd);
  return offset;
}

std::optional<bool> SpoolQueue::served() { return serving_daemon_pid(spool_.dir()).has_value(); }

}  // namespace renderq
