// PgQueue: the Queue (queue.hpp) of a PostgreSQL database: PgStore, wake-ups
// by NOTIFY inside the transactions that need them, waiters woken by LISTEN
// on renderq_changes, job logs in the job_log table (pg_job_log.hpp).
//
// Thread-safety: one per thread; any number of processes and hosts.
#pragma once

#include <memory>
#include <string>

#include "spool/pg_store.hpp"
#include "spool/queue.hpp"

namespace renderq {

class PgQueue final : public Queue {
 public:
  // Connects and migrates (PgStore::open's errors). `url` is a libpq URL;
  // passwords come from ~/.pgpass or the service file.
  static Result<std::unique_ptr<PgQueue>> open(const std::string& url);

  Store& store() override { return *store_; }
  std::string where() const override { return redact_url(url_); }
  void wake() noexcept override {}  // submit, cancel, retry and resume NOTIFY in their transactions
  std::unique_ptr<ChangeSource> watch_changes() override;
  std::string log_name(JobId id) const override;
  Result<std::int64_t> read_log(JobId id, std::int64_t offset,
                                const std::function<void(std::string_view)>& out) override;
  Result<void> forget_job(JobId) override { return {}; }  // the job_log rows went with the job
  // Whether some daemon's row in the registry is fresh (daemon_record.hpp);
  // nullopt when the registry cannot be read.
  std::optional<bool> served() override;
  Result<std::string> identity() override { return store_->queue_id(); }

  const std::string& url() const { return url_; }
  PgStore& pg_store() { return *store_; }

 private:
  PgQueue(std::string url, std::unique_ptr<PgStore> store) : url_(std::move(url)), store_(std::move(store)) {}
  std::string url_;
  std::unique_ptr<PgStore> store_;
};

}  // namespace renderq
