// How a Job is shown: the detail view of `status` (the table of `list` is
// cli/job_table.hpp),
// and the JSON object every --json output uses (status: one object, list: an
// array of them, submit --json: one object), so the shapes never drift apart.
//
// JSON keys are stable (scripts parse them): id, name, state, priority,
// created_ms, started_ms, finished_ms (Unix epoch ms or null), attempts,
// max_attempts, timeout_ms (null = daemon default), after (ids), error_code,
// error_message, worker, host, device, progress {done, total},
// cancel_requested, spec (the RenderSpec's versioned JSON form).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>

#include "spool/job.hpp"

namespace renderq {

nlohmann::json job_to_json(const Job& job);

// The host that ran (or runs) the job's last attempt: its worker name
// "HOST:PID" up to the last ':' (`renderq daemon --host`); "" before any.
std::string job_host(const Job& job);

// "key: value" lines, one field per line, for `renderq status`.
std::string format_job_detail(const Job& job);

// A command job's argv as one line a shell would read back (quoted where needed).
std::string command_text(const ExecSpec& exec);

// Local time "YYYY-MM-DDTHH:MM:SS+01:00" (ISO 8601 with the offset) of a
// Unix epoch millisecond count.
std::string format_local_time(std::int64_t unix_ms);

}  // namespace renderq
