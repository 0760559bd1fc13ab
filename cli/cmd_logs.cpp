// renderq logs ID [--follow]: prints the job's log (<spool>/jobs/ID/job.log,
// or the job_log table of a PostgreSQL queue:
// what was loaded, warnings, stage times, errors, each attempt's outcome).
// With --follow it keeps printing what is appended until the job finishes,
// then exits like `renderq wait`: 0 succeeded, 4 failed, 5 canceled.
// Exit 3 for an unknown id.
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/job_access.hpp"

namespace renderq {

namespace {

// The log is appended by other processes (or, on PostgreSQL, by a daemon on
// another host); looking every 100 ms costs nothing measurable and works on
// every file system.
constexpr std::chrono::milliseconds kFollowPoll{100};

struct LogsOptions {
  std::int64_t id = 0;
  bool follow = false;
};

// Copies the log from `offset` to its end onto stdout; returns the new
// offset, or why the log cannot be read.
Result<std::int64_t> read_from(Queue& queue, JobId id, std::int64_t offset) {
  Result<std::int64_t> end = queue.read_log(id, offset, [](std::string_view bytes) {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  });
  std::fflush(stdout);
  return end;
}

// As read_from, while following: a log that cannot be read now is looked
// at again next time.
std::int64_t copy_from(Queue& queue, JobId id, std::int64_t offset) {
  Result<std::int64_t> end = read_from(queue, id, offset);
  return end ? *end : offset;
}

int exit_for_state(JobState s) {
  switch (s) {
    case JobState::Failed: return code(Exit::JobFailed);
    case JobState::Canceled: return code(Exit::JobCanceled);
    default: return code(Exit::Ok);
  }
}

int run_logs(const Context& ctx, const LogsOptions& o) {
  Result<std::unique_ptr<Queue>> opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) return report(no_such_job(o.id, ctx));  // no spool yet: no jobs
  Queue* spool = opened->get();
  JobId id{o.id};
  Result<Job> job = spool->store().get(id);
  if (!job) return report_store_error(*spool, job.error());
  if (auto ok = check_may_act_on(*spool, *job, "read the log of"); !ok) return report(ok.error());
  // A log that exists but cannot be read is an error, never an empty log.
  Result<std::int64_t> first = read_from(*spool, id, 0);
  if (!first) return report(first.error());
  std::int64_t offset = *first;
  if (!o.follow) return code(Exit::Ok);
  for (;;) {
    job = spool->store().get(id);
    if (!job) return report_store_error(*spool, job.error());  // purged meanwhile
    bool finished = is_finished(job->state);
    offset = copy_from(*spool, id, offset);  // after reading the state: nothing written before it is missed
    if (finished) {
      // The daemon appends its closing line just after the commit we saw.
      std::this_thread::sleep_for(kFollowPoll);
      copy_from(*spool, id, offset);
      return exit_for_state(job->state);
    }
    std::this_thread::sleep_for(kFollowPoll);
  }
}

}  // namespace

void add_logs(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<LogsOptions>();
  CLI::App* cmd = app.add_subcommand("logs", "Print a job's log; --follow until it finishes");
  cmd->add_option("id", o->id, "Job id")->required()->type_name("ID");
  cmd->add_flag("-f,--follow", o->follow, "Keep printing until the job finishes; exit like wait");
  cmd->callback([&ctx, o] { ctx.exit_code = run_logs(ctx, *o); });
}

}  // namespace renderq
