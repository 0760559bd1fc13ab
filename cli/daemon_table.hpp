// What `renderq daemons` prints: the daemon registry (spool/daemon_record.hpp)
// as a table or as JSON, with the jobs each daemon holds.
//
// The table has one line per daemon under a header:
//   HOST PID UP SEEN RUNNING DEVICES
// UP is how long it has run, SEEN how long ago its last heartbeat was
// ("45s", "3h": format_age), RUNNING the ids of the jobs it holds (from the
// job rows whose lease owner is that daemon; "-" for none) and DEVICES its
// slots' devices, each name cut before its first " (" and counted ("2x
// llvmpipe"). DEVICES comes last because device names hold spaces, as ps
// puts COMMAND last. With `all`, a STATE column (live or gone) comes first
// and gone rows are listed too.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "spool/daemon_record.hpp"
#include "spool/job.hpp"

namespace renderq {

// One daemon as `renderq daemons` shows it.
struct DaemonView {
  DaemonRecord record;
  bool gone = false;               // is_gone() for the reader
  std::vector<std::int64_t> running;  // ids of the jobs it holds
  std::int64_t now_ms = 0;         // the roster's now, for ages
};

// The daemons of `roster` as the reader `self` sees them, with the running
// jobs of `running` assigned to their lease owners; gone ones only with `all`.
std::vector<DaemonView> daemon_views(const DaemonRoster& roster, const std::vector<Job>& running, const Owner& self,
                                     bool all);

// The table (header included, even with no rows).
std::string format_daemon_table(const std::vector<DaemonView>& views, bool all);

// {"host", "boot_id", "pid", "state": "live"|"gone", "devices": [...],
//  "slots", "version", "started_ms", "seen_ms", "stale_after_ms",
//  "uptime_ms", "seen_ago_ms", "running": [ids]}
nlohmann::json daemon_to_json(const DaemonView& v);

// "2x llvmpipe, NVIDIA H200/PCIe/SSE2" for the slots' devices; "starting"
// for slots whose worker has not reported yet; "-" for none.
std::string devices_summary(const std::vector<std::string>& devices);

}  // namespace renderq
