// The supervisor: the daemon's long-lived process. Its loop reads like the
// protocol it implements:
//   recover   requeue jobs whose owner died or whose lease expired
//   devices   probe the EGL devices, start one worker per device (--slots N: N)
//   serve     claim a job for each idle worker when woken (wake FIFO) or on
//             a slow fallback tick; renew each running job's lease by a
//             heartbeat (which also reports cancel requests); kill a worker
//             at its job's deadline, on cancel, or when its lease is lost;
//             finish each job under the owner fence; restart workers
//   stop      on SIGTERM/SIGINT stop claiming, let running jobs finish within
//             the grace period, then kill them and give them back to the queue
// Throughout, it keeps its row in the store's daemon registry
// (spool/daemon_record.hpp): recorded once its devices are chosen,
// refreshed every min(lease/3, 10 s) from the loop's timers and when a worker reports
// its device, removed when it stops.
//
// Its parts, one file pair each: event_loop (the one place that blocks),
// worker_pool (the worker processes), exec_host (a command job's process
// group: each slot runs a render job on its worker or a command job there), job_runner (one job's store side, a
// state machine tested without processes), device_probe (which devices get
// a worker). supervisor.cpp is the glue that decides when.
//
// The supervisor owns every job its workers run (Owner = this process), so
// a dead worker never orphans a lease, and a dead supervisor's jobs are
// found by the next one's owner_alive() check at once.
//
// Thread-safety: single-threaded; run_supervisor blocks until shutdown.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_size.hpp"  // parse_byte_size, for the SIZE options
#include "core/error.hpp"
#include "daemon/served_queue.hpp"

namespace renderq {

struct DaemonOptions {
  std::string devices = "all";                 // "all" or EGL indices "0,1"
  int slots = 1;                               // worker processes per device (>= 1)
  std::int64_t default_timeout_ms = 3'600'000; // per attempt when the job has none; 0 = none
  std::int64_t grace_ms = 30'000;              // SIGTERM: how long running jobs may finish
  std::int64_t kill_grace_ms = 10'000;         // command jobs: SIGTERM -> SIGKILL of the group
  std::int64_t exec_output_cap = 16 << 20;     // command jobs: output bytes kept per attempt
  int max_jobs_per_worker = 0;                 // restart a worker after N jobs; 0 = never
  std::int64_t max_worker_rss = 0;             // bytes; restart a worker above it; 0 = no limit
  std::int64_t max_scene_memory = 0;           // bytes; each worker's scene memory budget; 0 = its default
  std::int64_t lease_ms = 30'000;              // lease length; renewed every min(500 ms, lease/3)
  std::int64_t poll_ms = 2'000;                // fallback claim tick when no wake arrives
  std::int64_t requeue_every_ms = 10'000;      // how often stale leases are looked for
  std::string log_path;                        // reopened on SIGHUP; "" = stderr as it is
  std::string exe = "/proc/self/exe";          // the renderq binary workers run
  std::string host;                            // this daemon's host name in job rows; "" = gethostname
  std::string version;                         // renderq's version, for the daemon registry
};

// Parses "all" or a comma-separated list of device indices.
// Errc::InvalidArgument naming the bad item.
Result<std::vector<int>> parse_device_list(const std::string& text);  // empty = all

// Serves `queue` until SIGTERM/SIGINT. REQUIRES: the caller holds the
// DaemonLock of the queue's folder on this host and has not started other
// threads. `on_ready` runs once recovery has run (daemonizing uses it to let
// the parent exit). Errc::EglNoDevice when no device can render.
Result<void> run_supervisor(ServedQueue& queue, const DaemonOptions& options,
                            const std::function<void()>& on_ready = {});

}  // namespace renderq
