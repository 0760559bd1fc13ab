#include "daemon/daemon_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace renderq {

namespace {

std::filesystem::path lock_path(const std::filesystem::path& dir) { return dir / "daemon.lock"; }

std::optional<pid_t> read_pid(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return std::nullopt;
  long pid = std::strtol(buf, nullptr, 10);
  if (pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

}  // namespace

Result<DaemonLock> DaemonLock::acquire(const std::filesystem::path& spool_dir) {
  std::string path = lock_path(spool_dir).string();
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) return fail(Errc::Io, "cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::optional<pid_t> holder = read_pid(fd.get());
    if (err == EWOULDBLOCK) {
      std::string who = holder ? "daemon pid " + std::to_string(*holder) : "another daemon";
      return fail(Errc::SpoolLocked, "spool " + spool_dir.string() + " is already served by " + who);
    }
    return fail(Errc::Io, "cannot lock " + path + ": " + std::strerror(err));
  }
  return DaemonLock(std::move(fd));
}

void DaemonLock::write_pid(pid_t pid) const noexcept {
  std::string text = std::to_string(pid) + "\n";
  if (::ftruncate(fd_.get(), 0) != 0) return;
  (void)!::pwrite(fd_.get(), text.data(), text.size(), 0);
}

}  // namespace renderq
