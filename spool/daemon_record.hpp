// The daemon registry: which daemons serve a queue. Each running daemon
// keeps one row in the store (Store::record_daemon; table `daemons`,
// sql/0006_daemons.sql and sql/pg/0005_daemons.sql):
//   - keyed by its lease Owner (host name as --host gives it, boot id,
//     supervisor pid), the same triple its jobs' rows carry, so that
//     `renderq daemons` can say which jobs each one holds;
//   - recorded at start, refreshed on the supervisor's timer (every
//     min(lease/3, 10 s), on the clock leases use: the server's for
//     PostgreSQL) and whenever its workers' devices change, deleted when it
//     stops cleanly;
//   - a daemon killed with SIGKILL (or a host that died) leaves its row,
//     which readers count as gone once it was not seen for stale_after_ms
//     (3 of that daemon's leases; is_stale below);
//   - a daemon that starts deletes the rows of its own host name whose
//     process is certainly dead (another boot, or no such pid here:
//     owner_alive_here), and rows stale for longer than kForgetDaemonsMs,
//     so a host taken out of service drops out of `--all` after a day.
//
// Thread-safety: plain data and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "spool/job.hpp"

namespace renderq {

struct DaemonRecord {
  Owner owner;                       // host, boot id, supervisor pid: the row's key
  std::vector<std::string> devices;  // the device of each worker slot ("" while it starts)
  int slots = 0;                     // worker slots (devices.size() once known)
  std::string version;               // renderq's version
  std::int64_t started_ms = 0;       // when the daemon started (Unix ms)
  std::int64_t seen_ms = 0;          // last heartbeat, on the store's clock; record_daemon sets it
  std::int64_t stale_after_ms = 0;   // not seen for this long = gone (> 0)
};

// Every row, and "now" on the clock the rows were stamped by, so that ages
// are measured on one clock even when the reader's drifts.
struct DaemonRoster {
  std::int64_t now_ms = 0;
  std::vector<DaemonRecord> daemons;
};

// How long a stale row stays before a starting daemon deletes it.
inline constexpr std::int64_t kForgetDaemonsMs = 24LL * 3600 * 1000;

// The staleness limit a daemon with lease `lease_ms` records: three
// leases, so that a busy server or a short pause is not taken for a death.
inline std::int64_t daemon_stale_after(std::int64_t lease_ms) { return 3 * lease_ms; }

// What record_daemon refuses (Errc::InvalidArgument): an empty host, a pid
// <= 0, slots < 0, stale_after_ms <= 0.
Result<void> check_daemon_record(const DaemonRecord& d);

// True when `d` was not seen for longer than its limit at `now_ms`.
bool is_stale(const DaemonRecord& d, std::int64_t now_ms);

// True when `d` counts as gone for a reader that is `self` (owner.hpp's
// current_owner): stale, or of the reader's own host and certainly dead
// there (another boot, or no such pid: owner_alive_here). A daemon on
// another host is judged by its heartbeat alone.
bool is_gone(const DaemonRecord& d, std::int64_t now_ms, const Owner& self);

// True when some row of `roster` is not gone for `self`.
bool any_live(const DaemonRoster& roster, const Owner& self);

// The devices column: a JSON array of strings, and back (nullopt when the
// text is not such an array).
std::string devices_to_json_text(const std::vector<std::string>& devices);
std::optional<std::vector<std::string>> devices_from_json_text(const std::string& text);

}  // namespace renderq
