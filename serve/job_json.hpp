// The JSON forms the API sends: a job as clients see it (server paths
// hidden: an uploaded scene shows as "upload", the output path is replaced
// by links), and the small helpers every handler uses to answer.
//
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "serve/api_error.hpp"
#include "spool/job.hpp"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace renderq::serve {

std::string job_url(JobId id);  // "/v1/jobs/<id>"

// The CLI's job JSON (spool/job_json.hpp) as clients see it: spec.output
// removed (the links name the output), an uploaded scene shown as "upload",
// a command's environment reduced to its names (exec.env_names), plus
// "links": {self, output, log}; see docs/http-api.md.
nlohmann::json job_json(const Job& job, const std::filesystem::path& files_dir);

// Sets the status, the JSON body (with a trailing newline) and its type.
void send_json(httplib::Response& res, int status, const nlohmann::json& body);

// The job id captured by the route's {id}; 404 job_not_found when it does
// not fit in an id.
std::expected<JobId, ApiError> job_id_param(const httplib::Request& req);

// An optional non-negative integer query parameter no larger than `max`:
// nullopt when absent, 422 invalid_argument naming it when malformed.
std::expected<std::optional<std::int64_t>, ApiError> int_param(const httplib::Request& req, const char* name,
                                                               std::int64_t max);

}  // namespace renderq::serve
