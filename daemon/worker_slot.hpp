// The supervisor's view of one worker process and the job it runs.
//
// Thread-safety: owned by the supervisor's single thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "daemon/child_process.hpp"
#include "daemon/job_log.hpp"
#include "daemon/protocol.hpp"
#include "spool/job.hpp"

namespace renderq {

using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

// Why the supervisor killed a worker; decides how its job ends once the
// worker has been reaped (never before: kill, then release).
enum class KillReason {
  None,       // not killed by us: a crash
  Timeout,    // the job's deadline passed -> failed "timeout"
  Cancel,     // a cancel was requested -> canceled
  Shutdown,   // the daemon is stopping -> back to the queue, attempt not counted
  LeaseLost,  // the job is no longer ours -> no outcome is recorded
};

struct RunningJob {
  JobId id{};
  std::string name{};
  RenderSpec spec{};                      // its outputs name the temporary files a kill leaves
  JobLog log{};
  int attempt = 0, max_attempts = 1;
  std::int64_t timeout_ms = 0;            // 0 = none
  TimePoint deadline = TimePoint::max();
  TimePoint next_renew{};
  TimePoint last_progress_write{};
  int done = 0, total = 0;
  bool progress_pending = false;          // a progress value not yet written
  TimePoint progress_due{};               // when to write it if no outcome carries it first
  KillReason kill = KillReason::None;
};

enum class SlotState {
  Down,      // no process; restart_at says when to start one
  Starting,  // spawned, waiting for its Ready message
  Idle,      // ready for a job
  Busy,      // rendering `job`
  Stopping,  // asked to exit (socket closed) or exiting after a fatal error
};

struct WorkerSlot {
  std::optional<int> device_index;  // nullopt = the renderer's default choice
  SlotState state = SlotState::Down;
  ChildProcess proc{};
  wire::LineBuffer in{};            // messages from the worker
  wire::LineBuffer err{};            // its stderr, copied to the daemon log
  std::string worker{};             // "host:pid"
  std::string device{};             // GL_RENDERER, known after Ready
  std::optional<RunningJob> job{};
  int jobs_done = 0;
  int failures = 0;                 // consecutive crashes / failed starts: restart backoff
  TimePoint restart_at{};
};

}  // namespace renderq
