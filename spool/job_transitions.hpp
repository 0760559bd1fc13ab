// The job state machine as pure functions: a job's row and an event in, the
// transition out. Every store backend reads the row, calls one of these and
// writes what it returns, so the rules live here once and are tested without
// a database (tests/spool/job_transitions_test.cpp).
//
//   queued ──claim──▶ running ──finish ok──▶ succeeded
//     │                 │ ├──finish error / attempts used up──▶ failed
//     │                 │ ├──finish interrupted──▶ queued (attempt uncounted)
//     │                 │ └──lease expired or worker died, attempts left──▶ queued
//     ├──cancel──▶ canceled ◀──cancel (the daemon stops it)── running
//     └──a dependency failed or was canceled──▶ failed (dependency_failed)
//   failed / canceled ──retry──▶ queued (fresh attempt budget; dependents
//                                         it failed come back too)
//
// The claim itself must be one statement (a set-based UPDATE choosing the
// job), so the backends implement on_claim's rule in SQL; on_claim states it
// and the store tests hold the SQL to it. Which job is claimed (priority,
// then submission order, dependencies succeeded, queue not paused) is the
// backends' query.
//
// Error details read after the job's name ("job 7 " + detail).
//
// Thread-safety: pure functions of plain values.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "spool/job.hpp"
#include "spool/store.hpp"

namespace renderq {

// What the rules need of a job's stored row.
struct JobRow {
  JobState state = JobState::Queued;
  int attempts = 0;
  int max_attempts = 1;
  bool cancel_requested = false;
  std::string error_code;  // "" unless failed or canceled

  static JobRow of(const Job& j) {
    return JobRow{.state = j.state, .attempts = j.attempts, .max_attempts = j.max_attempts,
                  .cancel_requested = j.cancel_requested, .error_code = j.error_code};
  }
};

// The row after an event, and what else the store must change with it.
struct Transition {
  JobState to = JobState::Queued;
  int attempts = 0;
  // nullopt keeps what is stored (a running job keeps the error of the
  // attempt before, for status to show).
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  bool cancel_requested = false;
  // The lease holder (owner, expiry) is dropped: the attempt is over.
  // worker and device stay, as the record of who ran it last.
  bool drop_lease = false;
  // started time and progress are cleared: retry's clean record.
  bool fresh_record = false;
  // Every queued job that depends on this one, transitively, must take
  // on_dependency_failed(this job's id, `to`) in the same transaction.
  bool fail_dependents = false;
  // finished_ms is "now" when `to` is finished and cleared otherwise.
  bool finished() const noexcept { return is_finished(to); }
};

// queued -> running with one more attempt and a fresh cancel flag.
// Errc::JobStateConflict from any other state.
Result<Transition> on_claim(const JobRow& row);

// A new job whose dependencies have these states (absent ones are the
// caller's Errc::JobNotFound): queued, or failed "dependency_failed" at once
// when one of them already failed or was canceled (the first such, in the
// order given).
struct DependencyState {
  JobId id;
  JobState state = JobState::Queued;
};
Transition on_submit(std::span<const DependencyState> deps);

// The lease holder ends its attempt. ok -> succeeded; a requested cancel ->
// canceled; interrupted -> queued with the attempt uncounted; retryable with
// attempts left -> queued; else failed with the outcome's code (internal
// when it has none). The caller has checked that the caller holds the lease;
// Errc::LeaseLost when the row is not running.
Result<Transition> on_finish(const JobRow& row, const Outcome& outcome);

// Whether finish publishes the attempt's outputs (Outcome::publish) before
// it writes `t`: when the job ends succeeded or canceled.
bool publishes(const Transition& t);

// finish's transition when publishing the outputs failed with `e` (the
// outcome was ok): failed with e's code, not retried, as any output that
// cannot be written.
Result<Transition> on_publish_failed(const JobRow& row, const Error& e);

// The lease of a running job ended without a finish. `who` names the holder
// ("host:pid") for the message. Queued while attempts remain, else failed
// lease_expired / worker_crashed; canceled when a cancel was pending.
// Errc::JobStateConflict when the row is not running.
enum class LeaseLoss { Expired, OwnerDied };
Result<Transition> on_lease_lost(const JobRow& row, LeaseLoss why, std::string_view who);

// cancel: queued -> canceled at once (its dependents fail); running -> the
// cancel flag is set and the job stays running until its holder stops it;
// finished -> nothing changes.
struct CancelTransition {
  CancelResult result = CancelResult::AlreadyFinished;
  std::optional<Transition> transition;  // nullopt: nothing to write
};
CancelTransition on_cancel(const JobRow& row);

// retry: failed or canceled -> queued with a fresh attempt budget and a
// clean record. Errc::JobStateConflict from another state, or while one of
// its own dependencies (`blocking`: those failed or canceled) still is.
Result<Transition> on_retry(const JobRow& row, std::span<const DependencyState> blocking);

// A dependency of this job ended failed or canceled: a queued job fails with
// dependency_failed; any other state is left alone (nullopt).
std::optional<Transition> on_dependency_failed(const JobRow& row, JobId dep, JobState dep_state);

// A dependency of this job was retried: a job that failed only because a
// dependency did comes back queued (like on_retry) once none of its
// dependencies (`blocking`) is failed or canceled; else nullopt.
std::optional<Transition> on_dependency_retried(const JobRow& row, std::span<const DependencyState> blocking);

// hold, release, a new priority or start time: only a queued job may be
// edited. Errc::JobStateConflict naming the state otherwise.
Result<void> on_edit(const JobRow& row);

// The message of a dependency_failed job: "dependency 5 failed".
std::string dependency_message(JobId dep, JobState dep_state);

}  // namespace renderq
