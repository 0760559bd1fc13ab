// renderq wait ID... [--timeout DUR] [--quiet]: blocks until every job is
// finished. `wait --all` waits for every job unfinished when it starts. Exit 0 when all succeeded, 4 when any failed, else 5 when any was
// canceled; 3 when an id does not exist (checked before waiting), 6 when
// --timeout elapsed first.
//
// Waiting wakes on the spool's change signal (cli/job_wait,
// spool/change_watch): a job's end is reported within a millisecond or two,
// and an idle waiter costs nothing but a check of the jobs once a second.
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/queue_notes.hpp"
#include "cli/job_wait.hpp"
#include "cli/wait_report.hpp"
#include "core/duration.hpp"

namespace renderq {

namespace {

struct WaitOptions {
  std::vector<std::int64_t> ids;
  std::string timeout;
  bool quiet = false;
  bool all = false;
};

std::string id_list(const std::vector<Job>& jobs) {
  std::string out;
  for (const Job& job : jobs) out += (out.empty() ? "" : " ") + std::to_string(job.id.value);
  return out;
}

int run_wait(const Context& ctx, const WaitOptions& o) {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> deadline;
  if (!o.timeout.empty()) {
    auto t = parse_duration(o.timeout);
    if (!t) return report(t.error());
    deadline = Clock::now() + *t;
  }
  if (!o.all && o.ids.empty()) return report(Error{Errc::InvalidArgument, "wait needs job ids or --all"});
  if (o.all && !o.ids.empty()) return report(Error{Errc::InvalidArgument, "give job ids or --all, not both"});
  auto opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) {
    if (o.all) return code(Exit::Ok);  // no spool: nothing to wait for
    return report(no_such_job(o.ids.front(), ctx));
  }
  // The watch before the first read, so no commit falls between them.
  std::unique_ptr<ChangeSource> watch = (*opened)->watch_changes();
  std::vector<JobId> ids;
  for (std::int64_t raw : o.ids) ids.push_back(JobId{raw});
  if (o.all) {
    auto unfinished = (*opened)->store().list(ListQuery{.states = {JobState::Queued, JobState::Running}});
    if (!unfinished) return report_store_error(**opened, unfinished.error());
    for (auto it = unfinished->rbegin(); it != unfinished->rend(); ++it) {
      ids.push_back(it->id);
      if (it->held) diag("job " + std::to_string(it->id.value) + " is held: it ends only after `renderq release " +
                         std::to_string(it->id.value) + "`");
    }
    if (ids.empty()) return code(Exit::Ok);
  }
  // Say once why the wait may never end: nothing serves the queue, or it is paused.
  print_queue_notes(**opened);
  auto reporter = make_wait_reporter({.quiet = o.quiet});
  auto waited = wait_for_jobs((*opened)->store(), *watch, ids, *reporter,
                              {.deadline = deadline, .on_store_away = [](const Error& e) {
                                 diag(e.message() + "; waiting for the server to answer again");
                               }});
  reporter->done();
  if (!waited) return report_store_error(**opened, waited.error());
  if (waited->timed_out) {
    diag("timed out waiting for job" + std::string(waited->pending.size() > 1 ? "s " : " ") +
         id_list(waited->pending));
    return code(Exit::TimedOut);
  }
  if (waited->any_failed) return code(Exit::JobFailed);
  if (waited->any_canceled) return code(Exit::JobCanceled);
  return code(Exit::Ok);
}

}  // namespace

void add_wait(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<WaitOptions>();
  CLI::App* cmd = app.add_subcommand("wait", "Wait until jobs finish; the exit code tells how they ended");
  cmd->add_option("ids", o->ids, "Job ids")->type_name("ID");
  cmd->add_flag("--all", o->all, "Wait for every job that is queued or running now");
  cmd->add_option("--timeout", o->timeout, "Give up after DUR (exit 6), e.g. 30s, 10m")->type_name("DUR");
  cmd->add_flag("-q,--quiet", o->quiet, "Print nothing on stdout; only the exit code tells");
  cmd->callback([&ctx, o] { ctx.exit_code = run_wait(ctx, *o); });
}

}  // namespace renderq
