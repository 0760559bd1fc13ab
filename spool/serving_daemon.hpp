// Whether a daemon serves a spool: the supervisor holds an exclusive flock on
// <spool>/daemon.lock for its lifetime (daemon/daemon_lock.hpp) and writes its
// pid there. A probe with a shared, non-blocking flock tells a live holder
// from a stale file: the kernel drops the lock when the holder dies.
//
// The queue commands use it to say when nothing will run a job (`submit`,
// `list`, `status`, `wait`), instead of showing "queued" forever.
//
// Thread-safety: stateless.
#pragma once

#include <filesystem>
#include <optional>
#include <sys/types.h>

namespace renderq {

// The pid of the daemon serving `spool_dir`, 0 for a holder that has not
// written its pid yet, or nullopt when none holds the lock (no file, no
// holder, or the file cannot be opened).
std::optional<pid_t> serving_daemon_pid(const std::filesystem::path& spool_dir);

}  // namespace renderq
