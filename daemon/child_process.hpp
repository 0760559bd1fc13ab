// Starting and inspecting worker processes (fork + exec of renderq itself).
//
// Why exec and not a bare fork: the child must not inherit the supervisor's
// SQLite connection, the daemon lock or the wake FIFO (all close-on-exec),
// and a fresh image keeps a crashed driver's state out of the next worker.
//
// Thread-safety: call from the supervisor's single thread (fork from a
// threaded process is unsafe).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <string>
#include <sys/types.h>
#include <vector>

#include "core/error.hpp"
#include "core/unique_fd.hpp"
#include "daemon/protocol.hpp"
#include "daemon/run_as.hpp"

namespace renderq {

// Move-only: the descriptors close with it. Resetting it (`proc = {}`)
// closes them but neither kills nor reaps the process.
struct ChildProcess {
  pid_t pid = -1;
  UniqueFd sock;  // our end of the socketpair; the child's end is its fd 3
  UniqueFd err;   // read end of the child's stdout+stderr
};

// Runs `exe` with `args` (args[0] is argv[0]). The child gets fd 3 = its end
// of a socketpair, stdout and stderr = a pipe, stdin = /dev/null, an empty
// signal mask, its own process group (terminal signals go to the supervisor
// only), and PR_SET_PDEATHSIG = SIGKILL (it dies with the supervisor). Our
// ends are non-blocking and close-on-exec. Errc::Io when fork or a pipe fails.
// With `who`, the child becomes that user (run_as.hpp) with its environment
// before exec; when it cannot, it prints "renderq-run-as STEP ERRNO" and
// exits with status 126 (parse_run_as_failure reads that line).
Result<ChildProcess> spawn_child(const std::string& exe, const std::vector<std::string>& args,
                                 const RunAs* who = nullptr);

inline constexpr int kRunAsFailedStatus = 126;
// A forked child's report of the setup step that failed: "<prefix><step>
// <errno>" (and a newline) on `fd`. Async-signal-safe.
void write_step_failure(int fd, const char* prefix, const char* step, int err, bool newline) noexcept;
// The step and errno of a child's "renderq-run-as STEP ERRNO" line.
std::optional<std::pair<std::string, int>> parse_run_as_failure(std::string_view line);

// Appends what a non-blocking `fd` has to `buf`; false on EOF or an error
// (the caller closes it), true when it would block.
bool read_available(int fd, wire::LineBuffer& buf);

// Resident set size of `pid` in bytes (VmRSS), 0 when unknown.
std::int64_t process_rss_bytes(pid_t pid);

// "exited with status 3", "killed by signal 9 (Killed)".
std::string describe_wait_status(int status);

}  // namespace renderq
