// JobRunner: one attempt of one job, from claim to outcome, as a state
// machine over the Store and a Clock. It does the store's side of the lease
// protocol and nothing else:
//   claim      take the next job for a host (a worker) and hand it over
//   heartbeat  renew the lease every `heartbeat`; the answer is the cancel
//              signal; a lost lease stops the host
//   progress   store the host's reports at most every 250 ms; the last one
//              rides on the finish
//   finish     store the host's outcome under the owner fence, publishing
//              a render's staged outputs inside that transaction
//              (staged_outputs.hpp): all of them when it succeeded, the
//              frames reported so far when it was canceled
//   kill       on cancel, timeout, lost lease or shutdown: stop the host,
//              then (kill, then release) decide the outcome only when the
//              host has exited: canceled, failed "timeout", nothing, or
//              queued with the attempt uncounted; a host that dies on its
//              own is "worker_crashed", retryable
// What runs the job is behind JobHost (a render worker, worker_pool.hpp, or
// a command's process group, exec_host.hpp), so the runner is unit-tested with a fake
// store, a fake clock and a fake host, without any process
// (tests/daemon/job_runner_test.cpp).
//
// Thread-safety: single-threaded (the supervisor's loop).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "daemon/clock.hpp"
#include "daemon/job_log.hpp"
#include "daemon/run_as.hpp"
#include "daemon/staged_outputs.hpp"
#include "spool/job.hpp"
#include "spool/store.hpp"

namespace renderq {

// What a job runs on. The runner tells it to start and to stop; the host's
// owner reports back through the runner's on_* calls.
class JobHost {
 public:
  virtual ~JobHost() = default;
  virtual const std::string& worker() const = 0;  // "host:pid", stored as the job's worker
  virtual const std::string& device() const = 0;  // the renderer string, stored with the claim
  // The process whose temporary outputs a kill can leave (temp_outputs.hpp).
  virtual std::int64_t pid() const = 0;
  // Hands `job` over; false when it could not be handed over (the runner
  // then kills the host and the job ends as a crash once it has exited).
  // `stage`: the attempt's stage tag, under which a render writes its files
  // (core/staged_output.hpp); "" for a command.
  virtual bool start(const Job& job, const std::filesystem::path& log_path, const std::string& stage) = 0;
  // Stops the host at once. Its exit is reported later (host_exited).
  virtual void kill() = 0;
};

// Why the runner stopped its host; decides the outcome once the host has
// exited (never before: kill, then release).
enum class KillReason {
  None,       // not stopped by the runner: a crash
  Timeout,    // the job's deadline passed -> failed "timeout"
  Cancel,     // a cancel was requested -> canceled
  Shutdown,   // the daemon is stopping -> back to the queue, attempt not counted
  LeaseLost,  // the job is no longer ours -> no outcome is recorded
};

// What every runner of one supervisor shares. References must outlive the runners.
struct JobRunnerEnv {
  Store& store;
  const Clock& clock;
  Owner owner;
  std::int64_t lease_ms = 30'000;
  std::chrono::milliseconds heartbeat{500};  // renew period; cancel takes effect within it
  std::int64_t default_timeout_ms = 0;       // per attempt when the job has none; 0 = none
  // Makes the job's folder and returns its log's path; "" = no log.
  std::function<std::filesystem::path(JobId)> prepare_log{};
};

class JobRunner {
 public:
  // Claims the next eligible job for `host` and starts it there. nullopt
  // when nothing is eligible or the queue is paused; the store's error
  // (e.g. Errc::Busy) otherwise. A host that refuses the job is killed:
  // the returned runner then settles it as a crash at host_exited.
  static Result<std::optional<JobRunner>> claim(const JobRunnerEnv& env, JobHost& host);

  JobId id() const { return id_; }
  bool stopping() const { return kill_ != KillReason::None; }  // the host is being killed
  // The next time tick() has something to do; TimePoint::max() when none.
  TimePoint next_wakeup() const;

  // Timers: the job's deadline (kill: Timeout), a due progress write, the
  // heartbeat (renew; kill on LeaseLost or a requested cancel).
  void tick();
  // After a wake: a cheap read of the job; a requested cancel renews at once.
  void check_cancel();
  // The host's reports. Ignored for another job or once a kill is in flight.
  void on_progress(std::int64_t job, int done, int total);
  // The host may be a new process now (a worker restarted as the job's
  // user): when its name changed, records it as the job's worker.
  void host_restarted();
  // The host's outcome; true when it was taken (the runner is then done).
  bool on_done(std::int64_t job, Outcome outcome);
  // Stops the host for `why` (kept if a reason is already set).
  void kill(KillReason why);
  // The daemon's grace period ended with the job still running.
  void grace_over();
  // The host exited (`how`: describe_wait_status). Removes the temporary
  // files it left, then stores the outcome the kill reason calls for (a
  // cancel publishes the frames reported so far), then removes the staged
  // files not published.
  // Returns true when the host died on its own (a crash). The runner is done.
  bool host_exited(std::string_view how);

  // Whether the attempt's outcome is stored (or given up). An outcome the
  // store could not take for a moment (the database restarting, a busy
  // spool) is kept, its staged files with it, and retried by tick() about
  // every second until the lease would have run out; only then is it
  // dropped (the job's lease expires and recovery requeues or fails it).
  // The supervisor keeps such a runner after its host is free.
  bool settled() const { return !unsettled_.has_value(); }

 private:
  JobRunner(const JobRunnerEnv& env, JobHost& host, const Job& job);
  // With any progress not yet written; publishes the first `publish` output
  // files under the store's fence, then removes the staged files left.
  void finish(Outcome outcome, std::size_t publish = 0);
  // One try at storing the kept outcome (finish, tick).
  void settle();
  void remove_unpublished();
  void heartbeat();
  void write_progress();

  const JobRunnerEnv* env_;
  JobHost* host_;
  JobId id_{};
  std::string worker_;  // the job's worker as last stored ("host:pid")
  RenderSpec spec_{};  // its outputs name the temporary files a kill leaves
  std::optional<StagedOutputs> staged_;  // a render's outputs (none for a command)
  // The user the job acts for (daemon/run_as.hpp): the file work in its
  // output folders (publish, removals) is done as them. nullopt: ours.
  std::optional<RunAs> run_as_;
  JobLog log_{};
  int attempt_ = 0, max_attempts_ = 1;
  std::int64_t timeout_ms_ = 0;  // 0 = none
  TimePoint deadline_ = TimePoint::max();
  TimePoint next_renew_{};
  TimePoint last_progress_write_{};
  int done_ = 0, total_ = 0;
  bool progress_pending_ = false;  // a progress value not yet written
  TimePoint progress_due_{};       // when to write it if no outcome carries it first
  KillReason kill_ = KillReason::None;
  TimePoint lease_until_{};             // the lease's end as of the last renew the store took
  std::optional<Outcome> unsettled_;    // an outcome not stored yet (settled())
  std::size_t unsettled_publish_ = 0;   // the output files it publishes
  std::optional<Error> publish_error_;  // what its publish reported, if it failed
  TimePoint settle_retry_ = TimePoint::max();
  bool said_unsettled_ = false;         // logged once per outcome
};

}  // namespace renderq
