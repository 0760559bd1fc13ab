// SqliteStore: the Store interface on one SQLite connection (sqlite_db.hpp).
// Every write is one BEGIN IMMEDIATE transaction; submit, finish, cancel,
// retry, purge and set_paused commit with synchronous=FULL (what they
// acknowledge survives a power loss), claim, renew and progress with NORMAL
// (losing one on power loss only sends the job back to the queue, and its
// worker died with the machine anyway). The SQL lives in sql/sqlite/.
//
// Thread-safety: one SqliteStore per thread; any number of processes.
// No exception leaves a method: failures are Errors (SQLITE_BUSY after the
// busy timeout is Errc::Busy).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>

#include "spool/sqlite_db.hpp"
#include "spool/store.hpp"

namespace renderq {

class SqliteStore final : public Store {
 public:
  // Milliseconds since the Unix epoch; tests substitute a fake clock.
  using Clock = std::function<std::int64_t()>;
  static std::int64_t system_now_ms();

  // See SqliteDb::open for the errors.
  static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& db_path, bool create,
                                                   Clock clock = {},
                                                   std::chrono::milliseconds busy_timeout = kBusyTimeout);

  // Called inside a submit's transaction with each new id before it
  // commits; an error rolls the whole submit back. The spool uses it to
  // refuse ids whose folders already hold a job that ran (a lost or
  // restored database would hand them out again).
  using NewIdCheck = std::function<Result<void>(JobId)>;
  void set_new_id_check(NewIdCheck check) { new_id_check_ = std::move(check); }

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
  Result<std::vector<JobId>> existing(std::span<const JobId> ids) override;
  Result<void> record_daemon(const DaemonRecord& d) override;
  Result<void> remove_daemon(const Owner& owner) override;
  Result<DaemonRoster> daemons() override;
  Result<int> forget_daemons(std::int64_t forget_ms) override;

  // The connection, for tools that need raw access (the benchmark's bulk
  // loader). Not for queue logic: that belongs behind the Store methods.
  SqliteDb& connection() { return *db_; }

 private:
  SqliteStore(std::unique_ptr<SqliteDb> db, Clock clock);
  std::int64_t now() const { return clock_(); }

  std::unique_ptr<SqliteDb> db_;
  Clock clock_;
  NewIdCheck new_id_check_;
};

}  // namespace renderq
