// How a Job is shown: the detail view of `status` (the table of `list` is
// cli/job_table.hpp). The JSON object every --json output uses (status: one
// object, list: an array of them, submit --json: one object) is
// spool/job_json.hpp, shared with the HTTP API, so the shapes never drift.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>

#include "spool/job.hpp"
#include "spool/job_json.hpp"

namespace renderq {

// "key: value" lines, one field per line, for `renderq status`.
std::string format_job_detail(const Job& job);

// Who submitted the job, for people: the account name of its submitter_uid;
// the number when this host has no such account (a PostgreSQL queue's
// submitter from another host); "-" when the job has none recorded (one
// from before renderq recorded submitters, which is the spool owner's).
std::string job_user(const Job& job);

// A command job's argv as one line a shell would read back (quoted where needed).
std::string command_text(const ExecSpec& exec);

// Local time "YYYY-MM-DDTHH:MM:SS+01:00" (ISO 8601 with the offset) of a
// Unix epoch millisecond count.
std::string format_local_time(std::int64_t unix_ms);

}  // namespace renderq
