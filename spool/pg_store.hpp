// PgStore: the Store interface on PostgreSQL through libpq, for a queue that
// daemons on many hosts share. The schema is migrated on open
// (pg_migrate.hpp); the SQL lives in sql/pg/. The job state machine is
// job_transitions.hpp, as for SQLite: each method reads the row locked
// (SELECT ... FOR UPDATE), calls it and writes the transition.
//
// Differences from SqliteStore a caller may see:
// - claim is one UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED),
//   so claimers on several hosts never wait for each other;
// - finish also checks the lease holder in the UPDATE's WHERE, and when
//   Outcome::attempt is set, that the holder still runs that attempt;
// - submit, cancel, retry and resume NOTIFY renderq_wake in their
//   transaction (PgWakeListener in pg_wake.hpp LISTENs); every commit that
//   changes a job notifies renderq_changes, which change_marker() counts;
// - a connection lost between calls (a server restart) is reopened at the
//   next call; a call that fails on the lost connection returns Errc::Io.
//
// Thread-safety: one PgStore per thread; any number of processes and hosts.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "spool/pg_conn.hpp"
#include "spool/store.hpp"

namespace renderq {

class PgStore final : public Store {
 public:
  // Milliseconds since the Unix epoch; tests substitute a fake clock.
  using Clock = std::function<std::int64_t()>;

  // Connects (libpq conninfo or URL; passwords from ~/.pgpass or the service
  // file) and migrates the schema. Errc::Io when the server cannot be
  // reached, PermissionDenied when it refuses, SchemaTooNew. Without a
  // clock, times are the server's: this host's clock plus the offset to the
  // server's measured at open, so that hosts whose clocks drift still agree
  // on when a lease expires.
  static Result<std::unique_ptr<PgStore>> open(const std::string& conninfo, Clock clock = {});

  // The store's clock (what claim, renew and finish stamp), for callers
  // that pass a time in (requeue_expired).
  std::int64_t now_ms() const { return clock_(); }

  Result<JobId> submit(const NewJob& job) override;
  Result<std::vector<JobId>> submit_batch(std::span<const NewJob> jobs, std::size_t* failed = nullptr) override;
  Result<Job> get(JobId id) override;
  Result<std::vector<Job>> list(const ListQuery& q) override;
  Result<QueueCounts> counts() override;
  Result<std::optional<Job>> claim(const ClaimRequest& req) override;
  Result<bool> renew(JobId id, const Owner& owner, std::int64_t lease_ms) override;
  Result<void> set_progress(JobId id, const Owner& owner, int done, int total) override;
  Result<void> set_worker(JobId id, const Owner& owner, const std::string& worker) override;
  Result<JobState> finish(JobId id, const Owner& owner, const Outcome& outcome) override;
  Result<CancelResult> cancel(JobId id) override;
  Result<void> retry(JobId id) override;
  Result<void> edit(JobId id, const JobEdit& edit) override;
  Result<std::vector<JobId>> requeue_expired(std::int64_t now_ms,
                                             const std::function<bool(const Owner&)>& owner_alive) override;
  Result<std::vector<JobId>> purge(std::int64_t cutoff_ms) override;
  Result<bool> paused() override;
  Result<void> set_paused(bool paused) override;
  Result<std::int64_t> change_marker() override;
  Result<std::int64_t> last_issued_id() override;
  // The queue's id (sql/pg/0006_queue_id.sql).
  Result<std::string> queue_id();
  Result<std::vector<JobId>> existing(std::span<const JobId> ids) override;
  Result<void> record_daemon(const DaemonRecord& d) override;
  Result<void> remove_daemon(const Owner& owner) override;
  Result<DaemonRoster> daemons() override;
  Result<int> forget_daemons(std::int64_t forget_ms) override;

  // The connection, for tools (the benchmark's bulk loader).
  PgConn& connection() { return *conn_; }

 private:
  PgStore(std::unique_ptr<PgConn> conn, Clock clock);
  std::int64_t now() const { return clock_(); }
  template <typename F>
  auto guarded(std::string_view what, F&& body) -> decltype(body());

  std::unique_ptr<PgConn> conn_;
  Clock clock_;
};

}  // namespace renderq
