#include "spool/job_transitions.hpp"

#include <algorithm>
#include <utility>

namespace renderq {
namespace {

// Error details read after the job's name: "job 7 " + "is running; ..." or
// "job 7 " + "already succeeded; ...".
std::string conflict_text(JobState s, std::string_view why) {
  return (is_finished(s) ? "already " : "is ") + std::string(state_name(s)) + "; " + std::string(why);
}

// A finished or requeued attempt: the lease goes, the cancel flag resets,
// and a job that ends failed or canceled takes its queued dependents along.
Transition end_attempt(const JobRow& row, JobState to, std::string code, std::string message) {
  return Transition{.to = to,
                    .attempts = row.attempts,
                    .error_code = std::move(code),
                    .error_message = std::move(message),
                    .cancel_requested = false,
                    .drop_lease = true,
                    .fresh_record = false,
                    .fail_dependents = to == JobState::Failed || to == JobState::Canceled};
}

// Back to queued as if never run: what retry does to the job and to the
// dependents it failed.
Transition fresh_queued() {
  return Transition{.to = JobState::Queued,
                    .attempts = 0,
                    .error_code = std::string(),
                    .error_message = std::string(),
                    .cancel_requested = false,
                    .drop_lease = true,
                    .fresh_record = true,
                    .fail_dependents = false};
}

}  // namespace

std::string dependency_message(JobId dep, JobState dep_state) {
  return "dependency " + std::to_string(dep.value) + " " + std::string(state_name(dep_state));
}

Result<Transition> on_claim(const JobRow& row) {
  if (row.state != JobState::Queued) return fail(Errc::JobStateConflict, conflict_text(row.state, "only queued jobs can be claimed"));
  return Transition{.to = JobState::Running, .attempts = row.attempts + 1, .cancel_requested = false};
}

Transition on_submit(std::span<const DependencyState> deps) {
  const auto doomed = std::find_if(deps.begin(), deps.end(), [](const DependencyState& d) {
    return d.state == JobState::Failed || d.state == JobState::Canceled;
  });
  if (doomed == deps.end())
    return Transition{.to = JobState::Queued, .error_code = std::string(), .error_message = std::string()};
  return Transition{.to = JobState::Failed,
                    .error_code = std::string(errc_name(Errc::DependencyFailed)),
                    .error_message = dependency_message(doomed->id, doomed->state)};
}

Result<Transition> on_finish(const JobRow& row, const Outcome& outcome) {
  if (row.state != JobState::Running)
    return fail(Errc::LeaseLost, conflict_text(row.state, "it is no longer held by this worker"));
  if (outcome.ok) return end_attempt(row, JobState::Succeeded, "", "");
  std::string code = outcome.error_code.empty() ? std::string(errc_name(Errc::Internal)) : outcome.error_code;
  std::string message = outcome.error_message;
  if (row.cancel_requested)
    return end_attempt(row, JobState::Canceled, std::string(errc_name(Errc::Canceled)),
                       message.empty() ? "canceled while running" : std::move(message));
  if (outcome.interrupted) {
    // The daemon stopped the attempt itself: it does not count.
    Transition t = end_attempt(row, JobState::Queued, std::move(code), std::move(message));
    t.attempts = std::max(0, row.attempts - 1);
    return t;
  }
  const JobState to =
      outcome.retryable && row.attempts < row.max_attempts ? JobState::Queued : JobState::Failed;
  return end_attempt(row, to, std::move(code), std::move(message));
}

bool publishes(const Transition& t) { return t.to == JobState::Succeeded || t.to == JobState::Canceled; }

Result<Transition> on_publish_failed(const JobRow& row, const Error& e) {
  return on_finish(row, Outcome{.ok = false, .error_code = std::string(errc_name(e.code)), .error_message = e.message()});
}

Result<Transition> on_lease_lost(const JobRow& row, LeaseLoss why, std::string_view who) {
  if (row.state != JobState::Running)
    return fail(Errc::JobStateConflict, conflict_text(row.state, "only running jobs hold a lease"));
  const bool expired = why == LeaseLoss::Expired;
  std::string code(errc_name(expired ? Errc::LeaseExpired : Errc::WorkerCrashed));
  std::string message =
      expired ? "lease of worker " + std::string(who) + " expired" : "worker " + std::string(who) + " died";
  if (row.cancel_requested)
    return end_attempt(row, JobState::Canceled, std::string(errc_name(Errc::Canceled)), std::move(message));
  const JobState to = row.attempts < row.max_attempts ? JobState::Queued : JobState::Failed;
  return end_attempt(row, to, std::move(code), std::move(message));
}

CancelTransition on_cancel(const JobRow& row) {
  switch (row.state) {
    case JobState::Queued:
      return CancelTransition{
          .result = CancelResult::Canceled,
          .transition = Transition{.to = JobState::Canceled,
                                   .attempts = row.attempts,
                                   .error_code = std::string(errc_name(Errc::Canceled)),
                                   .error_message = std::string("canceled while queued"),
                                   .cancel_requested = false,
                                   .drop_lease = true,
                                   .fail_dependents = true}};
    case JobState::Running:
      // Only a request: the holder sees it on its next renew and stops the job.
      return CancelTransition{.result = CancelResult::CancelRequested,
                              .transition = Transition{.to = JobState::Running,
                                                       .attempts = row.attempts,
                                                       .cancel_requested = true}};
    case JobState::Succeeded:
    case JobState::Failed:
    case JobState::Canceled:
      break;
  }
  return CancelTransition{.result = CancelResult::AlreadyFinished, .transition = std::nullopt};
}

Result<Transition> on_retry(const JobRow& row, std::span<const DependencyState> blocking) {
  if (row.state != JobState::Failed && row.state != JobState::Canceled)
    return fail(Errc::JobStateConflict,
                conflict_text(row.state, "only failed or canceled jobs can be retried"));
  if (!blocking.empty()) {
    const DependencyState& dep = blocking.front();
    return fail(Errc::JobStateConflict,
                "depends on job " + std::to_string(dep.id.value) + ", which " +
                    (dep.state == JobState::Canceled ? "was canceled" : std::string(state_name(dep.state))) +
                    "; retry that first");
  }
  return fresh_queued();
}

Result<void> on_edit(const JobRow& row) {
  if (row.state != JobState::Queued)
    return fail(Errc::JobStateConflict, conflict_text(row.state, "only queued jobs can be held, released or changed"));
  return {};
}

std::optional<Transition> on_dependency_failed(const JobRow& row, JobId dep, JobState dep_state) {
  if (row.state != JobState::Queued) return std::nullopt;
  return Transition{.to = JobState::Failed,
                    .attempts = row.attempts,
                    .error_code = std::string(errc_name(Errc::DependencyFailed)),
                    .error_message = dependency_message(dep, dep_state),
                    .cancel_requested = false,
                    .drop_lease = true,
                    // The backends fail the whole chain of dependents at once
                    // (one recursive statement), so no further cascade here.
                    .fail_dependents = false};
}

std::optional<Transition> on_dependency_retried(const JobRow& row, std::span<const DependencyState> blocking) {
  if (row.state != JobState::Failed || row.error_code != errc_name(Errc::DependencyFailed)) return std::nullopt;
  if (!blocking.empty()) return std::nullopt;
  return fresh_queued();
}

}  // namespace renderq
