// Store: the narrow interface between the queue logic and a database.
// sqlite_store.cpp implements it on SQLite (WAL, BEGIN IMMEDIATE),
// pg_store.cpp on PostgreSQL (FOR UPDATE SKIP LOCKED, LISTEN/NOTIFY); both
// apply the job state machine of job_transitions.hpp.
//
// Thread-safety: one Store object per thread. Any number of processes may
// open the same store at once; every write is one transaction.
// Every method returns an Error instead of throwing; SQLITE_BUSY beyond the
// busy timeout (or a PostgreSQL lock timeout or deadlock) surfaces as
// Errc::Busy.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "spool/daemon_record.hpp"
#include "spool/job.hpp"

namespace renderq {

struct ListQuery {
  std::vector<JobState> states;    // empty = all
  int limit = 0;                   // 0 = no limit
  std::optional<JobId> before;     // for pagination: only ids < before (newest first order)
  std::string name_glob;           // "" = all; else only names matching this GLOB (case-sensitive, * ? [..])
  std::optional<std::pair<std::string, std::string>> label;  // only jobs with this label (check_labels' names)
  // Empty = every job; else only jobs whose submitter_uid is one of these.
  // A job with no recorded submitter (from before they were recorded)
  // matches none.
  std::vector<std::int64_t> submitters;
  // Order: newest first (id descending), like `ls -t` and pueue; the most
  // recent submissions are what people look for.
};

struct ClaimRequest {
  Owner owner;
  std::string worker;              // e.g. "host:pid"
  std::string device;              // renderer string
  std::int64_t lease_ms = 30'000;  // lease length from now
  std::int64_t now_ms = 0;         // 0 = the store's clock
};

// The end of an attempt, reported by the owner.
struct Outcome {
  bool ok = false;
  std::string error_code;          // errc_name() when !ok
  std::string error_message;
  bool retryable = false;          // requeue if attempts remain (e.g. worker crash)
  // The daemon stopped the attempt itself (shutdown): back to queued and the
  // attempt is not counted, whatever the attempts left.
  bool interrupted = false;
  // Progress (frames done, total) stored with the outcome, so that the last
  // report costs no transaction of its own; nullopt keeps what is stored.
  std::optional<std::array<int, 2>> progress{};
  // The attempt this outcome ends, as claim returned it in Job::attempts:
  // when set, a holder whose job was requeued and claimed again (even by
  // the same process) cannot end the newer attempt. nullopt: whichever
  // attempt the owner holds.
  std::optional<int> attempt{};
  // Publishes the attempt's outputs (daemon/staged_outputs.hpp: renames its
  // staged files onto their final names). finish calls it inside its
  // transaction, after it checked that the caller holds this attempt (the
  // job's row locked) and before it commits, and only when the job then
  // ends succeeded or canceled: an attempt that lost its lease never
  // publishes, and no other attempt can start while it does. A publish that
  // fails turns succeeded into failed with its error (not retried); a
  // canceled job stays canceled. Empty: nothing to publish.
  std::function<Result<void>()> publish{};
};

enum class CancelResult { Canceled, CancelRequested, AlreadyFinished };

struct QueueCounts {
  std::int64_t queued = 0, running = 0, succeeded = 0, failed = 0, canceled = 0;

  // The count of `state`, for the backends that read counts row by row.
  std::int64_t& of(JobState state) {
    switch (state) {
      case JobState::Queued: return queued;
      case JobState::Running: return running;
      case JobState::Succeeded: return succeeded;
      case JobState::Failed: return failed;
      case JobState::Canceled: return canceled;
    }
    return queued;  // unreachable: the switch is exhaustive
  }
};

class Store {
 public:
  virtual ~Store() = default;

  // Stores a job durably (synchronous=FULL commit) and returns its id.
  // REQUIRES: spec passed validate_values(). Fails with Errc::JobNotFound
  // when a dependency does not exist. A job whose dependency already failed
  // or was canceled is stored as failed with "dependency_failed".
  virtual Result<JobId> submit(const NewJob& job) = 0;

  // Stores every job in one transaction, with the same checks and outcome
  // per job as submit, and returns their ids in order; nothing is stored
  // when any job is refused, and `failed` (when given) receives its index.
  virtual Result<std::vector<JobId>> submit_batch(std::span<const NewJob> jobs, std::size_t* failed = nullptr) = 0;

  // Errc::JobNotFound when absent.
  virtual Result<Job> get(JobId id) = 0;
  virtual Result<std::vector<Job>> list(const ListQuery& q) = 0;
  virtual Result<QueueCounts> counts() = 0;

  // In one transaction: takes the highest-priority, oldest queued job whose
  // dependencies all succeeded, marks it running for req.owner with a lease,
  // increments attempts, and returns it; nullopt when nothing is eligible or
  // the queue is paused.
  virtual Result<std::optional<Job>> claim(const ClaimRequest& req) = 0;

  // Extends the lease of a running job held by `owner`. Errc::LeaseLost when
  // the job is no longer running under that owner. Returns whether a cancel
  // was requested, so the heartbeat doubles as the cancel signal.
  virtual Result<bool> renew(JobId id, const Owner& owner, std::int64_t lease_ms) = 0;

  // Progress of a running job held by `owner` (frames done / total).
  virtual Result<void> set_progress(JobId id, const Owner& owner, int done, int total) = 0;

  // The process that now runs a job held by `owner` ("host:pid"), when it
  // is not the one named at claim (a worker restarted as the job's user):
  // status shows it, and recovery cleans up after that process. Committed
  // without a flush, like renew. Errc::LeaseLost when `owner` no longer
  // holds the job.
  virtual Result<void> set_worker(JobId id, const Owner& owner, const std::string& worker) = 0;

  // Ends the attempt, committed with synchronous=NORMAL: durable when any
  // process crashes, not on power loss (the job then comes back as running
  // under an owner of another boot and is requeued, or failed when no
  // attempt is left). ok -> succeeded; a requested cancel -> canceled;
  // interrupted -> queued with the attempt uncounted; retryable with
  // attempts left -> queued; else failed. Dependents of a job
  // that ends failed or canceled fail with "dependency_failed".
  // Runs outcome.publish as its comment says.
  // Errc::LeaseLost when `owner` no longer holds the job (or, with
  // outcome.attempt, holds another attempt of it).
  virtual Result<JobState> finish(JobId id, const Owner& owner, const Outcome& outcome) = 0;

  // Queued -> canceled at once; running -> cancel requested (the daemon
  // stops it); finished -> AlreadyFinished. Errc::JobNotFound when absent.
  virtual Result<CancelResult> cancel(JobId id) = 0;

  // Holds, releases, re-prioritises or re-times a queued job (on_edit).
  // Errc::JobStateConflict for any other state, JobNotFound when absent.
  // A release or an earlier start wakes the daemons on PostgreSQL; on
  // SQLite the caller wakes them (Spool::wake).
  virtual Result<void> edit(JobId id, const JobEdit& edit) = 0;

  // Failed or canceled -> queued with a fresh attempt budget.
  // Errc::JobStateConflict for any other state.
  virtual Result<void> retry(JobId id) = 0;

  // Running jobs whose lease expired before now_ms, or whose owner
  // `owner_alive` reports dead, go back to queued while attempts remain and
  // to failed ("lease_expired") otherwise. Returns the ids it touched.
  virtual Result<std::vector<JobId>> requeue_expired(
      std::int64_t now_ms, const std::function<bool(const Owner&)>& owner_alive) = 0;

  // Deletes finished jobs that finished before cutoff_ms; returns their ids
  // so the caller can remove their files.
  virtual Result<std::vector<JobId>> purge(std::int64_t cutoff_ms) = 0;

  // The pause flag, stored in the database so it survives restarts.
  virtual Result<bool> paused() = 0;
  virtual Result<void> set_paused(bool paused) = 0;

  // A number that changes whenever any connection commits (SQLite's
  // PRAGMA data_version): a cheap "did anything change" check for waiters.
  virtual Result<std::int64_t> change_marker() = 0;

  // The highest job id ever handed out, 0 before the first: ids are never
  // reused, so a purged job still counts.
  virtual Result<std::int64_t> last_issued_id() = 0;

  // The ids among `ids` that name a stored job, ascending and without
  // repeats; the others were purged or never stored. One query for them all.
  virtual Result<std::vector<JobId>> existing(std::span<const JobId> ids) = 0;

  // The daemon registry (daemon_record.hpp). Inserts the row of d.owner, or
  // replaces it, with seen_ms stamped now on the store's clock (the one
  // leases use); d.seen_ms is ignored. Committed without a flush (like
  // renew). Errc::InvalidArgument when d.stale_after_ms <= 0 or d.slots < 0.
  virtual Result<void> record_daemon(const DaemonRecord& d) = 0;
  // Deletes the row of `owner`; ok when there is none.
  virtual Result<void> remove_daemon(const Owner& owner) = 0;
  // Every row, stale ones included, ordered by host, start and pid, with the
  // store's "now". Errc::SpoolCorrupt for a row whose devices are unreadable.
  virtual Result<DaemonRoster> daemons() = 0;
  // Deletes the rows that have been stale for longer than `forget_ms`;
  // returns how many.
  virtual Result<int> forget_daemons(std::int64_t forget_ms) = 0;
};

}  // namespace renderq
