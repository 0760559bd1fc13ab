// SpoolQueue: the Queue (queue.hpp) of a spool folder: SQLite, the wake
// FIFO, the change counter file, logs in <spool>/jobs/<id>/job.log.
//
// Thread-safety: one per thread, like the Spool it owns.
#pragma once

#include "spool/queue.hpp"
#include "spool/spool.hpp"

namespace renderq {

class SpoolQueue final : public Queue {
 public:
  explicit SpoolQueue(Spool spool) : spool_(std::move(spool)) {}

  Store& store() override { return spool_.store(); }
  std::string where() const override { return spool_.dir().string(); }
  bool created() const override { return spool_.created(); }
  void wake() noexcept override { spool_.wake(); }
  std::unique_ptr<ChangeSource> watch_changes() override;
  std::string log_name(JobId id) const override { return spool_.job_log(id).string(); }
  Result<std::int64_t> read_log(JobId id, std::int64_t offset,
                                const std::function<void(std::string_view)>& out) override;
  Result<void> forget_job(JobId id) override { return spool_.remove_job_dir(id); }
  std::optional<bool> served() override;
  Spool* spool() override { return &spool_; }

 private:
  Spool spool_;
};

}  // namespace renderq
