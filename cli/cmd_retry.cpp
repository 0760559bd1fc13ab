// renderq retry ID...: puts failed or canceled jobs back in the queue with a
// fresh attempt budget; prints one "ID queued" line per job. Jobs that had
// failed only because a retried one did (dependency_failed) go back with it
// (the store's cascade): one given later in the same command counts as
// queued. Like cancel, every id is tried and the exit code is that of the
// first problem: 3 for an unknown id, 8 for a job in any other state (a
// queued or running job, one that succeeded, or one whose dependency still
// failed).
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/job_access.hpp"

namespace renderq {

namespace {

struct RetryOptions {
  std::vector<std::int64_t> ids;
};

int run_retry(const Context& ctx, const RetryOptions& o) {
  auto opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) return report(no_such_job(o.ids.front(), ctx));
  Queue* spool = opened->get();
  int exit = code(Exit::Ok);
  bool queued = false;
  // The given jobs that had failed for a dependency: a retry of that
  // dependency earlier in this command may have queued them already.
  std::vector<std::int64_t> dependents;
  for (std::int64_t raw : o.ids)
    if (Result<Job> j = spool->store().get(JobId{raw});
        j && j->state == JobState::Failed && j->error_code == errc_name(Errc::DependencyFailed))
      dependents.push_back(raw);
  for (std::int64_t raw : o.ids) {
    Result<void> ok = check_may_act_on(*spool, JobId{raw}, "retry");
    if (ok) ok = spool->store().retry(JobId{raw});
    if (!ok && ok.error().code == Errc::JobStateConflict &&
        std::find(dependents.begin(), dependents.end(), raw) != dependents.end())
      if (Result<Job> now = spool->store().get(JobId{raw}); now && now->state == JobState::Queued) ok = {};
    if (!ok) {
      int rc = report_store_error(*spool, ok.error());
      if (exit == code(Exit::Ok)) exit = rc;
      continue;
    }
    queued = true;
    std::printf("%lld queued\n", static_cast<long long>(raw));
  }
  if (queued) spool->wake();
  return exit;
}

}  // namespace

void add_retry(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<RetryOptions>();
  CLI::App* cmd = app.add_subcommand("retry", "Queue failed or canceled jobs again");
  cmd->add_option("ids", o->ids, "Job ids")->required()->type_name("ID");
  cmd->callback([&ctx, o] { ctx.exit_code = run_retry(ctx, *o); });
}

}  // namespace renderq
