// ServedQueue: the queue as the daemon serves it, whichever kind it is:
// its Store and clock, how idle daemons are woken (a descriptor to poll),
// and a folder on this host for each job's running state (its log file, a
// command's process-group record). Two kinds:
//   serve_spool  a spool folder: the wake FIFO; job folders in the spool,
//                whose job.log is the log `renderq logs` reads;
//   serve_pg     a PostgreSQL queue (daemon/pg_served.cpp): LISTEN on
//                renderq_wake; job folders in a folder of this host's own,
//                whose log files are shipped into the job_log table as they
//                grow, so `renderq logs` works from any host; the clock is
//                the server's, so that hosts whose clocks drift agree on
//                when a lease expires.
//
// Thread-safety: the supervisor's thread only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "spool/job.hpp"
#include "spool/spool.hpp"
#include "core/device_caps.hpp"
#include "spool/store.hpp"

namespace renderq {

class ServedQueue {
 public:
  virtual ~ServedQueue() = default;

  virtual Store& store() = 0;
  // For the daemon log: the spool folder, or the URL without its password.
  virtual std::string where() const = 0;
  // Milliseconds since the epoch on the clock leases are measured by.
  virtual std::int64_t now_ms() = 0;

  // The descriptor to poll for wake-ups; -1 while there is none (a lost
  // server connection): the fallback tick then calls drain_wake(), which
  // reconnects.
  virtual int wake_fd() = 0;
  // Reads the pending wake-ups; never blocks.
  virtual void drain_wake() noexcept = 0;

  // Job `id`'s folder on this host (made 0700 when missing) and its log file.
  virtual Result<std::filesystem::path> make_job_dir(JobId id) = 0;
  virtual std::filesystem::path job_dir(JobId id) const = 0;
  virtual std::filesystem::path job_log(JobId id) const = 0;
  // Copies what job `id`'s log file gained since the last call to where
  // `renderq logs` reads it (a no-op for a spool, whose file is read). With
  // `done`, the job has ended here: after the copy its folder may go.
  virtual void ship_log(JobId id, bool done) noexcept = 0;
  // Copies what ended jobs' logs still lack (a copy that failed, a killed
  // predecessor's folders); called on a timer even when nothing runs.
  virtual void flush_logs() noexcept {}
  // What this host's devices can do, for submit's checks (core/device_caps):
  // a spool keeps it in <spool>/devices.json; elsewhere nothing (several
  // hosts' devices differ).
  virtual void publish_devices(const std::vector<DeviceCaps>&) noexcept {}
};

// Serves the spool `spool` (which must outlive the result). Errc::Io when
// the wake FIFO cannot be opened.
Result<std::unique_ptr<ServedQueue>> serve_spool(Spool& spool);

}  // namespace renderq
