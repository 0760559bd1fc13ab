#include "cli/job_wait.hpp"

#include <algorithm>
#include <thread>
#include <utility>

namespace renderq {

namespace {

using Clock = std::chrono::steady_clock;

// Reads every job again; finished ones go to the reporter and out of `pending`.
Result<void> refresh(Store& store, std::vector<Job>& pending, JobWaitResult& result, WaitReporter& reporter,
                     bool reread) {
  std::vector<Job> still;
  for (Job& old : pending) {
    Result<Job> job = reread ? store.get(old.id) : Result<Job>(std::move(old));
    if (!job) return std::unexpected(job.error());
    if (!is_finished(job->state)) {
      still.push_back(std::move(*job));
      continue;
    }
    result.any_failed |= job->state == JobState::Failed;
    result.any_canceled |= job->state == JobState::Canceled;
    reporter.finished(*job);
  }
  pending = std::move(still);
  return {};
}

}  // namespace

Result<JobWaitResult> wait_for_jobs(Store& store, ChangeSource& watch, std::span<const JobId> ids,
                                    WaitReporter& reporter, const JobWaitOptions& options) {
  JobWaitResult result;
  // The marker first, then the jobs: a commit between the two makes the
  // next marker differ, so it cannot hide behind a marker taken after it.
  Result<std::int64_t> marker = store.change_marker();
  if (!marker) return std::unexpected(marker.error());
  std::int64_t seen = *marker;
  std::vector<Job> pending;
  for (JobId id : ids) {
    if (std::any_of(pending.begin(), pending.end(), [&](const Job& j) { return j.id == id; })) continue;
    Result<Job> job = store.get(id);
    if (!job) return std::unexpected(job.error());
    pending.push_back(std::move(*job));
  }

  const bool safety = options.fallback.count() > 0;
  Clock::time_point next_safety = Clock::now() + options.fallback;
  // The server stopped answering (it restarts): say so once, then pause
  // before reading again. False when the deadline has passed.
  bool away = false;
  auto wait_for_store = [&](const Error& e) {
    if (!away && options.on_store_away) options.on_store_away(e);
    away = true;
    Clock::time_point until = Clock::now() + std::chrono::seconds(1);
    if (options.deadline) until = std::min(until, *options.deadline);
    std::this_thread::sleep_until(until);
    return !options.deadline || Clock::now() < *options.deadline;
  };
  auto timed_out = [&] {
    result.timed_out = true;
    result.pending = std::move(pending);
    return result;
  };
  for (bool reread = false;; reread = true) {
    if (Result<void> ok = refresh(store, pending, result, reporter, reread); !ok) {
      if (ok.error().code != Errc::StoreUnavailable) return std::unexpected(ok.error());
      if (!wait_for_store(ok.error())) return timed_out();
      continue;
    }
    away = false;
    if (pending.empty()) return result;
    reporter.update(pending);
    // Sleep until the marker moves, the safety poll is due, or the deadline.
    for (;;) {
      Clock::time_point now = Clock::now();
      if (options.deadline && now >= *options.deadline) return timed_out();
      Clock::time_point until = now + std::chrono::hours(1);
      if (safety) until = std::min(until, next_safety);
      if (options.deadline) until = std::min(until, *options.deadline);
      const bool woke = watch.wait(until);
      if (safety && Clock::now() >= next_safety) {
        next_safety = Clock::now() + options.fallback;
        marker = store.change_marker();
        if (!marker && marker.error().code != Errc::StoreUnavailable) return std::unexpected(marker.error());
        if (marker) seen = *marker;
        break;  // read the jobs again (a server away is met there)
      }
      if (!woke) continue;
      marker = store.change_marker();
      if (!marker && marker.error().code == Errc::StoreUnavailable) break;
      if (!marker) return std::unexpected(marker.error());
      if (*marker != seen) {
        seen = *marker;
        break;
      }
    }
  }
}

}  // namespace renderq
