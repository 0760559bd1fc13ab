// ExecHost: the JobHost of a command job (`renderq submit --exec`). Each
// start forks the command into a new session and process group of its own
// (setsid), with exactly the stored environment plus CUDA_VISIBLE_DEVICES,
// RENDERQ_JOB_ID, RENDERQ_DEVICE, RENDERQ_ATTEMPT and RENDERQ_PROGRESS_FD;
// its stdout and stderr go to the job log as they come, up to a cap; lines
// "N/M" on the progress descriptor are progress reports.
//
// Stopping: kill() sends SIGTERM to the whole group and SIGKILL after the
// grace period (tick()); when the leader exits, whatever is left of its
// group is SIGKILLed, so no process of a job outlives it. The leader has
// PR_SET_PDEATHSIG = SIGKILL, and its process group is recorded in the job's
// folder (exec.pgid) so that the next daemon kills the rest of a group whose
// daemon was SIGKILLed (kill_leftover_group, called by recovery).
//
// Thread-safety: single-threaded (the supervisor's loop).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "core/unique_fd.hpp"
#include "daemon/clock.hpp"
#include "daemon/event_loop.hpp"
#include "daemon/job_runner.hpp"
#include "daemon/run_as.hpp"
#include "daemon/protocol.hpp"

namespace renderq {

struct ExecHostOptions {
  std::int64_t kill_grace_ms = 10'000;       // SIGTERM -> SIGKILL
  std::int64_t output_cap = 16 << 20;        // bytes of output kept in the log per attempt
};

// Where the command runs: the worker slot's device, as its render worker
// reported it (wire::Ready), and the names stored with the claim.
struct ExecPlace {
  std::string worker;   // "host:pid" of the slot's render worker
  std::string device;   // GL_RENDERER
  wire::Ready ready;    // EGL index, software, CUDA id
};

class ExecHost final : public JobHost {
 public:
  using ProgressFn = std::function<void(int done, int total)>;

  explicit ExecHost(ExecHostOptions options) : opt_(options) {}

  // The names stored with the claim come from the slot (set before claiming).
  void place(ExecPlace p) { place_ = std::move(p); }
  void on_progress(ProgressFn fn) { progress_ = std::move(fn); }

  const std::string& worker() const override { return place_.worker; }
  const std::string& device() const override { return place_.device; }
  std::int64_t pid() const override { return pid_; }
  // REQUIRES: job.exec. Forks the command; false only when the fork or a
  // pipe fails (a missing cwd or a failed exec is the job's outcome).
  bool start(const Job& job, const std::filesystem::path& log_path, const std::string& stage) override;
  // SIGTERM to the group now, SIGKILL at the end of the grace period.
  void kill() override;

  bool running() const { return pid_ > 0; }
  // Reads the output and progress pipes when they are ready.
  void watch(EventLoop& loop);
  TimePoint next_wakeup() const { return pid_ > 0 ? kill_at_ : TimePoint::max(); }
  void tick(TimePoint now);  // the SIGKILL of a grace period that ended
  // The leader `pid` exited with wait `status`: reads what is left of its
  // output, SIGKILLs the rest of its group, closes everything. Returns the
  // job's outcome (exit 0 succeeded; exit_status N; signal NAME; the cwd or
  // exec failure) and sets `how` to describe_wait_status. REQUIRES: pid == pid().
  Outcome exited(int status, std::string& how);

 private:
  void read_output();
  void read_progress();
  void write_log(std::string_view bytes);

  ExecHostOptions opt_;
  ExecPlace place_{};
  ProgressFn progress_{};
  pid_t pid_ = -1;               // leader = process group id
  UniqueFd out_, prog_, log_;
  wire::LineBuffer prog_buf_{};
  std::int64_t written_ = 0;     // output bytes in the log this attempt
  bool cut_ = false;
  TimePoint kill_at_ = TimePoint::max();
  std::string setup_error_;      // "chdir <errno>" / "exec <errno>" / "setuid <errno>" from the child
  std::optional<RunAs> run_as_;  // the user the command runs as (nullopt: the daemon's)
  std::optional<Error> no_user_; // the job's user cannot be resolved: the child fails at once
  std::filesystem::path pgid_file_{};
};

// After a daemon died: if `job_dir`/exec.pgid names a process group of this
// boot that still has a process of job `id` (RENDERQ_JOB_ID in its
// environment), SIGKILLs the group. Returns how many processes it found.
int kill_leftover_group(const std::filesystem::path& job_dir, std::int64_t id);

// "N/M" with 0 <= N <= M, M > 0; nullopt for anything else.
std::optional<std::pair<int, int>> parse_progress_line(std::string_view line);

}  // namespace renderq
