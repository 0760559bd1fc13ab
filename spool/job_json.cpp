#include "spool/job_json.hpp"

#include <string>

#include "core/user_db.hpp"

namespace renderq {

namespace {


nlohmann::json optional_ms(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::string job_host(const Job& job) {
  const std::size_t colon = job.worker.rfind(':');
  return colon == std::string::npos ? std::string() : job.worker.substr(0, colon);
}

nlohmann::json job_to_json(const Job& job) {
  nlohmann::json after = nlohmann::json::array();
  for (JobId id : job.after) after.push_back(id.value);
  // A queued or running job may still carry its last attempt's error (the
  // reason it was requeued): the error fields speak of how a job ended.
  const bool ended_badly = job.state == JobState::Failed || job.state == JobState::Canceled;
  const std::string code = ended_badly ? job.error_code : std::string();
  const std::string message = ended_badly ? job.error_message : std::string();
  const bool has_error = !code.empty() || !message.empty();
  return {
      {"id", job.id.value},
      {"name", job.name},
      {"state", state_name(job.state)},
      {"priority", job.priority},
      {"created_ms", job.created_ms},
      {"started_ms", optional_ms(job.started_ms)},
      {"finished_ms", optional_ms(job.finished_ms)},
      {"attempts", job.attempts},
      {"max_attempts", job.max_attempts},
      {"timeout_ms", optional_ms(job.timeout_ms)},
      {"after", after},
      {"error_code", code},
      {"error_message", message},
      {"error", has_error ? nlohmann::json{{"code", code}, {"message", message}} : nlohmann::json(nullptr)},
      {"worker", job.worker},
      {"host", job_host(job)},
      {"device", job.device},
      {"progress", {{"done", job.progress_done}, {"total", job.progress_total}}},
      {"cancel_requested", job.cancel_requested},
      {"held", job.held},
      {"not_before_ms", optional_ms(job.not_before_ms)},
      {"labels", job.labels},
      {"submitter_uid", job.submitter_uid ? nlohmann::json(*job.submitter_uid) : nlohmann::json(nullptr)},
      {"user", job.submitter_uid ? user_name(*job.submitter_uid) : std::string()},
      {"kind", job.exec ? "exec" : "render"},
      {"spec", to_json(job.spec)},
      {"exec", job.exec ? to_json(*job.exec) : nlohmann::json(nullptr)},
  };
}

}  // namespace renderq
