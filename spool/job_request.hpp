// The job request: one job as JSON, the form the HTTP API takes in
// POST /v1/jobs and `renderq submit --batch` takes on each line:
//   {"spec": {...RenderSpec fields...}, "name": "...", "priority": 0,
//    "retries": 0, "timeout": "10m", "after": [ID...], "hold": false,
//    "not_before": "+10m" (core/time_spec.hpp), "labels": {"K": "V"},
//    "exec": {"argv": [...], "cwd": "...", "env": {"K": "V"}, "env_all": false}}
// One parser for both, so both accept the same fields with the same errors.
//
// Thread-safety: plain functions.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <optional>

#include "core/error.hpp"
#include "core/exec_spec.hpp"
#include "spool/job.hpp"

namespace renderq {

struct JobRequestRules {
  bool upload = false;          // the scene came in the request body: spec.scene must be absent
  bool client_output = false;   // spec.output is required (CLI); false: refused (the server chooses)
  bool exec_allowed = false;    // "exec" may name a command (never over HTTP)
  bool templates_allowed = false;  // "template" + "params": a command from the config's templates
};

// {"template": NAME, "params": {NAME: VALUE}}: checked against the template
// by the caller, who has the config (core/exec_template.hpp).
struct TemplateRequest {
  std::string name;
  std::map<std::string, nlohmann::json> params;
};

struct JobRequest {
  NewJob job;                        // spec paths as given (not yet absolute or checked on disk)
  std::optional<ExecRequest> exec;   // set: a command job, still to resolve_exec
  std::optional<TemplateRequest> templ;  // set: a command job from a template
};

// Errc::InvalidArgument naming the field for an unknown field, a wrong type
// or an out-of-range value (priority -1000..1000, retries 0..100, name up to
// 200 bytes without control characters, at most 100 dependencies);
// Errc::BadDuration for a bad timeout. Does not run validate_values.
Result<JobRequest> job_request_from_json(const nlohmann::json& doc, const JobRequestRules& rules);

}  // namespace renderq
