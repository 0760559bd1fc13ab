// renderq hold ID...      a queued job stays queued but is not started
// renderq release ID...   ... until it is released
// renderq priority P ID... a queued job's new priority (as renice takes it)
//
// Each prints one "ID held" / "ID released" / "ID priority P" line per job.
// Every id is tried; the exit code is that of the first problem: 3 for an
// unknown id, 8 for a job that is no longer queued. Holding a held job or
// releasing a released one is a success (the state asked for holds).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/job_access.hpp"

namespace renderq {

namespace {

struct EditOptions {
  std::vector<std::int64_t> ids;
  int priority = 0;
};

// Applies `edit` to every id, printing "ID <done>" for each that took it.
int run_edit(const Context& ctx, const std::vector<std::int64_t>& ids, const JobEdit& edit, const std::string& done) {
  auto opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) return report(no_such_job(ids.front(), ctx));
  Queue& spool = **opened;
  int exit = code(Exit::Ok);
  bool changed = false;
  for (std::int64_t raw : ids) {
    Result<void> r = check_may_act_on(spool, JobId{raw}, "change");
    if (r) r = spool.store().edit(JobId{raw}, edit);
    if (!r) {
      if (exit == code(Exit::Ok)) exit = report_store_error(spool, r.error());
      else report_store_error(spool, r.error());
      continue;
    }
    changed = true;
    std::printf("%lld %s\n", static_cast<long long>(raw), done.c_str());
  }
  std::fflush(stdout);
  // A released or re-prioritised job may be claimable now.
  if (changed && !(edit.held && *edit.held)) spool.wake();
  return exit;
}

}  // namespace

void add_hold(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<EditOptions>();
  CLI::App* cmd = app.add_subcommand("hold", "Keep queued jobs from starting until `renderq release`");
  cmd->add_option("ids", o->ids, "Job ids")->required()->type_name("ID");
  cmd->callback([&ctx, o] { ctx.exit_code = run_edit(ctx, o->ids, JobEdit{.held = true}, "held"); });
}

void add_release(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<EditOptions>();
  CLI::App* cmd = app.add_subcommand("release", "Let held jobs start again");
  cmd->add_option("ids", o->ids, "Job ids")->required()->type_name("ID");
  cmd->callback([&ctx, o] { ctx.exit_code = run_edit(ctx, o->ids, JobEdit{.held = false}, "released"); });
}

void add_priority(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<EditOptions>();
  CLI::App* cmd = app.add_subcommand("priority", "Change the priority of queued jobs (higher runs first)");
  cmd->add_option("priority", o->priority, "The new priority, -1000 to 1000")->required()->type_name("P");
  cmd->add_option("ids", o->ids, "Job ids")->required()->type_name("ID");
  cmd->callback([&ctx, o] {
    if (o->priority < -kMaxPriority || o->priority > kMaxPriority) {
      ctx.exit_code = report(Error{Errc::InvalidArgument, "priority " + std::to_string(o->priority) +
                                                             " is out of range (-1000..1000)"});
      return;
    }
    ctx.exit_code = run_edit(ctx, o->ids, JobEdit{.priority = o->priority}, "priority " + std::to_string(o->priority));
  });
}

}  // namespace renderq
