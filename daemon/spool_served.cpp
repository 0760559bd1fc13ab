// serve_spool (served_queue.hpp): a spool folder as the daemon serves it.
#include "daemon/served_queue.hpp"

#include "core/duration.hpp"
#include "daemon/daemon_log.hpp"

namespace renderq {

namespace {

class SpoolServed final : public ServedQueue {
 public:
  SpoolServed(Spool& spool, WakeListener wake) : spool_(spool), wake_(std::move(wake)) {}

  Store& store() override { return spool_.store(); }
  std::string where() const override { return "spool " + spool_.dir().string(); }
  std::int64_t now_ms() override { return now_unix_ms(); }
  int wake_fd() override { return wake_.fd(); }
  void drain_wake() noexcept override { wake_.drain(); }
  Result<std::filesystem::path> make_job_dir(JobId id) override { return spool_.make_job_dir(id); }
  std::filesystem::path job_dir(JobId id) const override { return spool_.job_dir(id); }
  std::filesystem::path job_log(JobId id) const override { return spool_.job_log(id); }
  void ship_log(JobId, bool) noexcept override {}  // `renderq logs` reads the file itself
  void publish_devices(const std::vector<DeviceCaps>& caps) noexcept override {
    if (Result<void> ok = write_device_caps(spool_.dir(), caps); !ok)
      daemon_log(LogLevel::Warning, "cannot record the devices' limits: " + ok.error().message());
  }

 private:
  Spool& spool_;
  WakeListener wake_;
};

}  // namespace

Result<std::unique_ptr<ServedQueue>> serve_spool(Spool& spool) {
  // A lost database beside the job folders: refuse before any id is reused.
  if (Result<void> ok = check_ids_cover_job_dirs(spool); !ok) return std::unexpected(ok.error());
  Result<WakeListener> wake = WakeListener::open(spool.dir());
  if (!wake) return std::unexpected(wake.error());
  return std::unique_ptr<ServedQueue>(std::make_unique<SpoolServed>(spool, std::move(*wake)));
}

}  // namespace renderq
