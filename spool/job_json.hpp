// The one JSON form of a job, for every --json output of the CLI (status,
// list, submit, submit --batch) and every job the HTTP API sends
// (serve/job_json.hpp adds its links and hides server paths), so that both
// speak the same vocabulary.
//
// Keys (stable; scripts parse them): id, name, state, priority, created_ms,
// started_ms, finished_ms (Unix epoch ms or null), attempts, max_attempts,
// timeout_ms (null = the daemon's default), after (ids), error_code and
// error_message ("" unless failed or canceled), error (the same as null or
// {"code", "message"}, the shape of the HTTP API's errors), worker, host
// (job_host), device,
// progress {done, total}, cancel_requested, held, not_before_ms (null = at
// once), labels {name: value}, kind ("render" or "exec"), spec (the
// RenderSpec's versioned form), exec (the ExecSpec's, or null).
//
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "core/json_text.hpp"  // json_text: how callers print these

#include "spool/job.hpp"

namespace renderq {

nlohmann::json job_to_json(const Job& job);

// The host that ran (or runs) the job's last attempt: its worker name
// "HOST:PID" up to the last ':' (`renderq daemon --host`); "" before any.
std::string job_host(const Job& job);

}  // namespace renderq
