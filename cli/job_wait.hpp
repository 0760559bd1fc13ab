// The loop behind `renderq wait`: block until jobs finish, waking on the
// spool's change signal (spool/change_watch.hpp) instead of a timer. Kept
// apart from the command line so tests can drive it against a real store.
//
// Exactness: the change marker is read *before* the jobs it guards, and the
// watch is opened by the caller before that, so a commit at any moment is
// either in what we read or makes the next marker differ; the counter every
// commit increments after it then differs from what the watch last saw, so
// the next wait returns at once.
//
// Thread-safety: one call per thread; the store and watch are the caller's.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "cli/wait_report.hpp"
#include "core/error.hpp"
#include "spool/change_source.hpp"
#include "spool/store.hpp"

namespace renderq {

struct JobWaitOptions {
  // Give up at this time (then timed_out is set); none = wait forever.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // How often the jobs are reread even when nothing signalled a change: a
  // safety net for writers that do not signal (another program committing to
  // queue.db, a process killed between its commit and its signal). Zero
  // turns it off (tests that must prove the signal alone suffices).
  std::chrono::milliseconds fallback{1000};
  // Told once each time the queue's server stops answering
  // (Errc::StoreUnavailable: a PostgreSQL restart) while waiting; the wait
  // then reads again every second until it is back or the deadline passes.
  std::function<void(const Error&)> on_store_away{};
};

struct JobWaitResult {
  bool timed_out = false;
  std::vector<Job> pending;  // the jobs still unfinished when timed out
  bool any_failed = false;
  bool any_canceled = false;
};

// Waits until every job in `ids` (duplicates counted once) is finished,
// telling `reporter` about progress and each finish. Errc::JobNotFound when
// an id does not exist (all are checked before waiting) or a job was purged
// while waited for; other store errors as the store returns them, but for a
// server that stops answering once the wait has begun (on_store_away).
// REQUIRES: `watch` watches the queue of `store` and was opened before this
// call (or is a polling watch).
Result<JobWaitResult> wait_for_jobs(Store& store, ChangeSource& watch, std::span<const JobId> ids,
                                    WaitReporter& reporter, const JobWaitOptions& options = {});

}  // namespace renderq
