// renderq cancel ID...: a queued job is canceled at once; a running one is
// marked, and its daemon stops it at its next heartbeat. Prints one
// "ID STATE" line per job ("canceled", or "cancel-requested" for a running
// one). Every id is tried; the exit code is that of the first problem:
// 3 for an unknown id, 8 for a job that already finished otherwise than
// canceled (canceling a canceled job again is a success).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/job_access.hpp"

namespace renderq {

namespace {

struct CancelOptions {
  std::vector<std::int64_t> ids;
};

int run_cancel(const Context& ctx, const CancelOptions& o) {
  auto opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) return report(no_such_job(o.ids.front(), ctx));
  Queue* spool = opened->get();
  Store& store = spool->store();
  int exit = code(Exit::Ok);
  auto note = [&exit](int rc) {
    if (exit == code(Exit::Ok)) exit = rc;
  };
  bool woke = false;
  for (std::int64_t raw : o.ids) {
    JobId id{raw};
    if (auto ok = check_may_act_on(*spool, id, "cancel"); !ok) {
      note(report_store_error(*spool, ok.error()));
      continue;
    }
    auto result = store.cancel(id);
    if (!result) {
      note(report_store_error(*spool, result.error()));
      continue;
    }
    switch (*result) {
      case CancelResult::Canceled:
        std::printf("%lld canceled\n", static_cast<long long>(raw));
        break;
      case CancelResult::CancelRequested:
        std::printf("%lld cancel-requested\n", static_cast<long long>(raw));
        woke = true;
        break;
      case CancelResult::AlreadyFinished: {
        auto job = store.get(id);
        if (!job) {
          note(report_store_error(*spool, job.error()));
          break;
        }
        if (job->state == JobState::Canceled) {
          std::printf("%lld canceled\n", static_cast<long long>(raw));
          break;
        }
        note(report(Error{Errc::JobStateConflict, "job " + std::to_string(raw) + " already " +
                                                      std::string(state_name(job->state)) +
                                                      "; nothing to cancel"}));
        break;
      }
    }
  }
  // A daemon blocked on the FIFO learns of the cancel now, not at its next
  // heartbeat.
  if (woke) spool->wake();
  return exit;
}

}  // namespace

void add_cancel(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CancelOptions>();
  CLI::App* cmd = app.add_subcommand("cancel", "Cancel jobs: queued ones at once, running ones by their daemon");
  cmd->add_option("ids", o->ids, "Job ids")->required()->type_name("ID");
  cmd->callback([&ctx, o] { ctx.exit_code = run_cancel(ctx, *o); });
}

}  // namespace renderq
