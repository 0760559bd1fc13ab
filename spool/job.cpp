#include "spool/job.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/utf8.hpp"

namespace renderq {

std::string_view state_name(JobState s) noexcept {
  switch (s) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Succeeded: return "succeeded";
    case JobState::Failed: return "failed";
    case JobState::Canceled: return "canceled";
  }
  return "queued";
}

std::vector<JobId> parse_job_ids(const std::string& csv) {
  std::vector<JobId> ids;
  std::size_t pos = 0;
  while (pos < csv.size()) {
    std::size_t end = csv.find(',', pos);
    if (end == std::string::npos) end = csv.size();
    ids.push_back(JobId{std::stoll(csv.substr(pos, end - pos))});
    pos = end + 1;
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<JobState> parse_state(std::string_view text) {
  for (JobState s : {JobState::Queued, JobState::Running, JobState::Succeeded, JobState::Failed,
                     JobState::Canceled})
    if (text == state_name(s)) return s;
  return fail(Errc::InvalidArgument, "unknown state '" + std::string(text) +
                                         "' (use queued, running, succeeded, failed or canceled)");
}

namespace {
constexpr std::size_t kMaxLabels = 32;
constexpr std::size_t kMaxLabelKey = 64;
constexpr std::size_t kMaxLabelValue = 256;
}  // namespace

namespace {

Result<void> check_new_job(const NewJob& job) {
  if (job.exec) {
    if (Result<void> ok = validate_values(*job.exec); !ok) return std::unexpected(ok.error());
  } else {
    if (Result<void> ok = validate_values(job.spec); !ok) return std::unexpected(ok.error());
    if (job.spec.scene.empty() || job.spec.scene.front() != '/' || job.spec.output.empty() ||
        job.spec.output.front() != '/')
      return fail(Errc::InvalidArgument, "scene and output paths must be absolute");
  }
  if (auto ok = check_job_name("the job name", job.name); !ok) return ok;
  if (job.max_attempts < 1) return fail(Errc::InvalidArgument, "max attempts must be at least 1");
  if (job.priority < -kMaxPriority || job.priority > kMaxPriority)
    return fail(Errc::InvalidArgument, "priority " + std::to_string(job.priority) + " is out of range (" +
                                           std::to_string(-kMaxPriority) + " to " + std::to_string(kMaxPriority) + ")");
  if (job.timeout_ms && *job.timeout_ms <= 0) return fail(Errc::InvalidArgument, "timeout must be positive");
  return check_labels(job.labels);
}

}  // namespace

Result<void> check_new_jobs(std::span<const NewJob> jobs, std::size_t* failed) {
  for (std::size_t i = 0; i < jobs.size(); ++i)
    if (Result<void> ok = check_new_job(jobs[i]); !ok) {
      if (failed) *failed = i;
      return ok;
    }
  return {};
}

Result<void> check_job_name(std::string_view what, const std::string& name) {
  if (name.size() > kMaxNameBytes)
    return fail(Errc::InvalidArgument, std::string(what) + " is longer than " + std::to_string(kMaxNameBytes) + " bytes");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return fail(Errc::InvalidArgument, std::string(what) + " holds control characters");
  return check_text(what, name);
}

Result<void> check_labels(const std::map<std::string, std::string>& labels) {
  if (labels.size() > kMaxLabels)
    return fail(Errc::InvalidArgument, "more than " + std::to_string(kMaxLabels) + " labels on one job");
  for (const auto& [key, value] : labels) {
    if (key.empty() || key.size() > kMaxLabelKey)
      return fail(Errc::InvalidArgument, "label name '" + key.substr(0, kMaxLabelKey) + "' must have 1 to 64 characters");
    for (char c : key)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
            c == '.'))
        return fail(Errc::InvalidArgument, "label name '" + key + "' may hold only letters, digits, '_', '-' and '.'");
    if (value.size() > kMaxLabelValue)
      return fail(Errc::InvalidArgument, "label '" + key + "' is longer than 256 bytes");
    for (unsigned char c : value)
      if (c < 0x20 || c == 0x7f) return fail(Errc::InvalidArgument, "label '" + key + "' holds control characters");
    if (auto ok = check_text("label '" + key + "'", value); !ok) return ok;
  }
  return {};
}

std::string labels_to_json_text(const std::map<std::string, std::string>& labels) {
  return nlohmann::json(labels).dump();
}

std::optional<std::map<std::string, std::string>> labels_from_json_text(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : j.items()) {
    if (v.is_string()) out.emplace(k, v.get<std::string>());
  }
  return out;
}

Result<std::pair<std::string, std::string>> parse_label(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos)
    return fail(Errc::InvalidArgument, "a label is NAME=VALUE: '" + std::string(text.substr(0, 80)) + "'");
  std::pair<std::string, std::string> kv{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
  if (auto ok = check_labels({{kv.first, kv.second}}); !ok) return std::unexpected(ok.error());
  return kv;
}

}  // namespace renderq
