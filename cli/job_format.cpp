#include "cli/job_format.hpp"

#include <ctime>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/duration.hpp"
#include "core/user_db.hpp"

namespace renderq {

namespace {

std::string progress_text(const Job& job) {
  if (job.progress_total <= 0) return "-";
  return std::to_string(job.progress_done) + "/" + std::to_string(job.progress_total);
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

std::string after_text(const std::vector<JobId>& after) {
  std::string out;
  for (JobId id : after) {
    if (!out.empty()) out += ' ';
    out += std::to_string(id.value);
  }
  return out;
}

}  // namespace

std::string format_local_time(std::int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  // ISO 8601 with the offset (+01:00), so a stamp read elsewhere is not
  // ambiguous; no space inside, so a line stays splittable on whitespace.
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  std::string out = buf;
  if (out.size() >= 5 && (out[out.size() - 5] == '+' || out[out.size() - 5] == '-')) out.insert(out.size() - 2, ":");
  return out;
}

std::string job_user(const Job& job) {
  if (!job.submitter_uid) return "-";
  std::string name = user_name(*job.submitter_uid);
  return name.empty() ? std::to_string(*job.submitter_uid) : name;
}

std::string command_text(const ExecSpec& e) {
  std::string out;
  for (const std::string& a : e.argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                   "_-+=/.,:@%") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::string format_job_detail(const Job& job) {
  std::string out;
  auto line = [&out](std::string_view key, const std::string& value) {
    out += key;
    out += ':';
    out.append(key.size() < 12 ? 12 - key.size() : 1, ' ');
    out += value;
    out += '\n';
  };
  const RenderSpec& s = job.spec;
  line("id", std::to_string(job.id.value));
  line("name", or_dash(job.name));
  line("user", job_user(job));
  std::string state(state_name(job.state));
  if (job.cancel_requested && job.state == JobState::Running) state += " (cancel requested)";
  if (job.held && job.state == JobState::Queued) state += " (held: renderq release " + std::to_string(job.id.value) + ")";
  line("state", state);
  if (job.not_before_ms && job.state == JobState::Queued) line("not before", format_local_time(*job.not_before_ms));
  if (!job.error_code.empty() || !job.error_message.empty()) {
    const bool ended_badly = job.state == JobState::Failed || job.state == JobState::Canceled;
    line(ended_badly ? "error" : "last attempt",
         job.error_code + (job.error_message.empty() ? "" : ": " + job.error_message));
  }
  line("priority", std::to_string(job.priority));
  if (job.exec) {
    line("command", command_text(*job.exec));
    line("cwd", job.exec->cwd);
  } else {
    line("scene", s.scene);
    line("output", s.output);
    line("size", std::to_string(s.width) + "x" + std::to_string(s.height));
    line("samples", std::to_string(s.samples));
  }
  if (!job.exec && s.frames > 1) line("frames", std::to_string(s.frames) + (s.turntable ? " (turntable)" : ""));
  line("progress", progress_text(job));
  line("attempts", std::to_string(job.attempts) + " of " + std::to_string(job.max_attempts));
  line("timeout", job.timeout_ms ? format_duration(Millis{*job.timeout_ms}) : "daemon default");
  if (!job.after.empty()) line("after", after_text(job.after));
  if (!job.labels.empty()) {
    std::string labels;
    for (const auto& [k, v] : job.labels) labels += (labels.empty() ? "" : " ") + k + "=" + v;
    line("labels", labels);
  }
  line("created", format_local_time(job.created_ms));
  if (job.started_ms) line("started", format_local_time(*job.started_ms));
  if (job.finished_ms) line("finished", format_local_time(*job.finished_ms));
  if (job.started_ms && job.finished_ms)
    line("took", format_duration(Millis{*job.finished_ms - *job.started_ms}));
  if (!job_host(job).empty()) line("host", job_host(job));
  if (!job.worker.empty()) line("worker", job.worker);
  if (!job.device.empty()) line("device", job.device);
  return out;
}

}  // namespace renderq
