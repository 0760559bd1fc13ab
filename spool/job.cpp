#include "spool/job.hpp"

#include <algorithm>

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

}  // namespace renderq
