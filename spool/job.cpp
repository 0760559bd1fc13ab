#include "spool/job.hpp"

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

Result<JobState> parse_state(std::string_view text) {
  for (JobState s : {JobState::Queued, JobState::Running, JobState::Succeeded, JobState::Failed,
                     JobState::Canceled})
    if (text == state_name(s)) return s;
  return fail(Errc::InvalidArgument, "unknown state '" + std::string(text) +
                                         "' (use queued, running, succeeded, failed or canceled)");
}

}  // namespace renderq
