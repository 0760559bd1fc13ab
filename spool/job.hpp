// The job record and its state machine, shared by every store backend.
//
//   queued ──claim──▶ running ──finish ok──▶ succeeded
//     │                 │ ├──finish error / attempts used up──▶ failed
//     │                 │ └──lease expired, attempts left──▶ queued
//     ├──cancel──▶ canceled ◀──cancel (daemon stops it)── running
//     └──a dependency failed or was canceled──▶ failed (dependency_failed)
//   failed / canceled ──retry──▶ queued
//
// Thread-safety: plain values.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/exec_spec.hpp"
#include "core/job_limits.hpp"
#include "core/render_spec.hpp"

namespace renderq {

struct JobId {
  std::int64_t value = 0;
  auto operator<=>(const JobId&) const = default;
};

enum class JobState { Queued, Running, Succeeded, Failed, Canceled };

std::string_view state_name(JobState s) noexcept;  // "queued", "running", ...
Result<JobState> parse_state(std::string_view text);
// "3,1,2" (a GROUP_CONCAT of ids, as both stores read dependencies) as
// sorted ids; "" gives none. REQUIRES: only digits and commas.
std::vector<JobId> parse_job_ids(const std::string& csv);
inline bool is_finished(JobState s) noexcept {
  return s == JobState::Succeeded || s == JobState::Failed || s == JobState::Canceled;
}

// Who holds a running job: a worker process fenced by the machine's boot id,
// so that after a reboot no stale pid can be mistaken for a live owner.
struct Owner {
  std::string host;     // hostname
  std::string boot_id;  // /proc/sys/kernel/random/boot_id
  std::int64_t pid = 0;
  bool operator==(const Owner&) const = default;
};

struct Job {
  JobId id;
  JobState state = JobState::Queued;
  std::string name;
  RenderSpec spec;                  // a command job: a default RenderSpec, unused
  std::optional<ExecSpec> exec;     // set for a command job (submit --exec)
  int priority = 0;                 // higher runs first
  std::int64_t created_ms = 0;      // Unix epoch milliseconds
  std::optional<std::int64_t> started_ms;
  std::optional<std::int64_t> finished_ms;
  int attempts = 0;                 // claims so far
  int max_attempts = 1;             // 1 + retries
  std::optional<std::int64_t> timeout_ms;  // per attempt; nullopt = daemon default
  std::vector<JobId> after;         // dependencies
  std::string error_code;           // errc_name() of the failure, "" otherwise
  std::string error_message;
  std::optional<Owner> owner;       // while running
  std::optional<std::int64_t> lease_expires_ms;
  std::string worker;               // last worker that ran it, e.g. "host:pid"
  std::string device;               // renderer string of the device that ran it
  int progress_done = 0;
  int progress_total = 0;
  bool cancel_requested = false;
  bool held = false;                // queued but not to be claimed until released
  std::optional<std::int64_t> not_before_ms;  // not claimed before this time
  std::map<std::string, std::string> labels;  // --label K=V
  // The user the job acts for: the submitting process's real uid. nullopt
  // on jobs from before it was recorded (the spool owner's).
  std::optional<std::int64_t> submitter_uid;
};

// What a submitter provides; the store fills id, state and times.
struct NewJob {
  RenderSpec spec;                // ignored for a command job
  std::optional<ExecSpec> exec;   // set: a command job
  std::string name;
  int priority = 0;
  int max_attempts = 1;
  std::optional<std::int64_t> timeout_ms;
  std::vector<JobId> after;
  bool held = false;                          // submit --hold
  std::optional<std::int64_t> not_before_ms;  // submit --not-before
  std::map<std::string, std::string> labels;  // submit --label K=V (check_label_* below)
  // Who it acts for; unset = this process's real uid (getuid()), which the
  // store records.
  std::optional<std::int64_t> submitter_uid;
  // Called by Store::submit inside its transaction once the id is known and
  // before the commit: may put files in the job's folder and rewrite the
  // spec's paths (the HTTP server keeps uploads and outputs in the job's
  // folder, named by id). An error aborts the submit: nothing is stored.
  // Empty = nothing to do.
  std::function<Result<void>(JobId id, RenderSpec& spec)> place_files;
};

// kMaxPriority, kMaxRetries and kMaxNameBytes: core/job_limits.hpp.

// A change to a queued job: hold or release it, change its priority or its
// start time. Unset fields keep what is stored.
struct JobEdit {
  std::optional<bool> held;
  std::optional<int> priority;
  std::optional<std::optional<std::int64_t>> not_before_ms;  // nullopt inside: at once
  bool empty() const { return !held && !priority && !not_before_ms; }
};

// What every store checks before it stores jobs: the render spec's or
// command's values (every string valid UTF-8, core/utf8.hpp), absolute scene
// and output paths, the name (check_job_name), the priority's range, at
// least one attempt, a positive timeout, the labels. On error `failed`
// (when given) receives the index of the first job refused. Submitters run
// it before they open the queue, so bad input never touches it.
Result<void> check_new_jobs(std::span<const NewJob> jobs, std::size_t* failed);

// A job name: up to kMaxNameBytes, no control characters, valid UTF-8.
// Errc::InvalidArgument naming it as `what` ("--name", "field 'name'").
Result<void> check_job_name(std::string_view what, const std::string& name);

// Labels: keys of 1 to 64 characters from [A-Za-z0-9_.-], values up to 256
// bytes of valid UTF-8 without control characters, at most 32 per job.
// Errc::InvalidArgument naming the problem.
Result<void> check_labels(const std::map<std::string, std::string>& labels);
// The stored form of a job's labels (a JSON object of strings) and back;
// nullopt for text that is not a JSON object (values that are not strings
// are left out).
std::string labels_to_json_text(const std::map<std::string, std::string>& labels);
std::optional<std::map<std::string, std::string>> labels_from_json_text(const std::string& text);

// "K=V" -> {K, V}, checked as above.
Result<std::pair<std::string, std::string>> parse_label(std::string_view text);

}  // namespace renderq
