#include "spool/change_watch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <thread>
#include <utility>

namespace renderq {

std::filesystem::path change_signal_path(const std::filesystem::path& db_path) {
  return db_path.parent_path() / "changed";
}

ChangeSignal::~ChangeSignal() {
  if (fd_ >= 0) ::close(fd_);
}

void ChangeSignal::notify() noexcept {
  if (fd_ < 0) {
    struct stat db {};
    const mode_t mode = ::stat(db_.c_str(), &db) == 0 ? (db.st_mode & 0666) : 0600;
    constexpr int kFlags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
    fd_ = ::open(file_.c_str(), kFlags);
    if (fd_ < 0 && errno == ENOENT) {
      // Created by us: give it the database's mode whatever our umask.
      fd_ = ::open(file_.c_str(), kFlags | O_CREAT | O_EXCL, mode);
      if (fd_ >= 0) (void)::fchmod(fd_, mode);
      else fd_ = ::open(file_.c_str(), kFlags);  // another process won the race
    }
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
  }
  // Rewriting the same byte keeps the file one byte long; inotify reports
  // IN_MODIFY for every write.
  const char byte = '\n';
  [[maybe_unused]] const ssize_t n = ::pwrite(fd_, &byte, 1, 0);
}

ChangeWatch ChangeWatch::open(const std::filesystem::path& dir) noexcept {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return ChangeWatch(-1);
  // Writes and new files (a WAL created after us, the signal file's first
  // use); IN_ATTRIB for a writer that only touches the file.
  const std::uint32_t mask = IN_MODIFY | IN_ATTRIB | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE;
  if (::inotify_add_watch(fd, dir.c_str(), mask) < 0) {
    ::close(fd);
    return ChangeWatch(-1);
  }
  return ChangeWatch(fd);
}

ChangeWatch::ChangeWatch(ChangeWatch&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
ChangeWatch& ChangeWatch::operator=(ChangeWatch&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
  }
  return *this;
}
ChangeWatch::~ChangeWatch() {
  if (fd_ >= 0) ::close(fd_);
}

bool ChangeWatch::wait(Clock::time_point until) noexcept {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  Clock::time_point now = Clock::now();
  if (fd_ < 0) {
    if (until > now) std::this_thread::sleep_for(std::min<Clock::duration>(kPollStep, until - now));
    return true;
  }
  for (;;) {
    // Events queued since the last call are still in the inotify fd: drain
    // them all, so one wake-up covers every write so far.
    alignas(inotify_event) char buf[4096];
    bool any = false;
    while (::read(fd_, buf, sizeof buf) > 0) any = true;
    if (any) return true;
    now = Clock::now();
    if (now >= until) return false;
    // Round up, so we never spin on a sub-millisecond remainder.
    const auto left = duration_cast<milliseconds>(until - now) + milliseconds(1);
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    const int r = ::poll(&p, 1, static_cast<int>(std::min<milliseconds::rep>(left.count(), 60'000)));
    if (r < 0 && errno != EINTR) {
      // A broken watch: fall back to polling from now on.
      ::close(fd_);
      fd_ = -1;
      return true;
    }
  }
}

}  // namespace renderq
