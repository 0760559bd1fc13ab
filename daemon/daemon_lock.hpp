// One daemon per spool: an exclusive flock(2) on <spool>/daemon.lock, held
// for the supervisor's lifetime. The file holds the holder's pid so that a
// second daemon can say who is serving the spool and `renderq daemon --stop`
// can signal it. The kernel drops the lock when the holder dies, however it
// dies, so a stale lock never blocks a restart.
//
// Why refuse instead of cooperating: the supervisor owns every running job
// of the spool (it renews and finishes them), so a second supervisor would
// have to tell its own jobs from the first one's and share devices with it;
// refusing keeps "one GPU, one job at a time" true by construction.
//
// Thread-safety: a DaemonLock is a move-only owner of one descriptor.
#pragma once

#include <filesystem>
#include <optional>
#include <sys/types.h>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace renderq {

class DaemonLock {
 public:
  // Takes the lock without blocking. Errc::SpoolLocked naming the holder's
  // pid when another process holds it; Errc::Io when the file cannot be
  // opened. The descriptor is close-on-exec, so workers never inherit it,
  // but it survives fork(): daemonizing keeps the lock.
  static Result<DaemonLock> acquire(const std::filesystem::path& spool_dir);

  // Records `pid` (the serving process, after daemonizing) in the file.
  void write_pid(pid_t pid) const noexcept;

 private:
  explicit DaemonLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;  // closing the last descriptor releases the flock
};

}  // namespace renderq
