// renderq resume: undoes `pause`, and wakes the daemon so that queued jobs
// start at once rather than at its next fallback tick.
#include "cli/commands.hpp"
#include "cli/job_access.hpp"

namespace renderq {

void add_resume(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("resume", "Start jobs again after pause");
  cmd->callback([&ctx] {
    Result<std::unique_ptr<Queue>> spool = ctx.open_queue(true);
    if (!spool) {
      ctx.exit_code = report(spool.error());
      return;
    }
    if (Result<void> ok = check_may_manage(**spool, "resume"); !ok) {
      ctx.exit_code = report(ok.error());
      return;
    }
    if (Result<void> r = (*spool)->store().set_paused(false); !r) {
      ctx.exit_code = report(r.error());
      return;
    }
    (*spool)->wake();
  });
}

}  // namespace renderq
