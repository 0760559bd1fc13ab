// renderq pause: daemons stop claiming new jobs; running jobs finish. The
// flag lives in the spool, so it survives daemon restarts until `resume`.
#include "cli/commands.hpp"
#include "cli/job_access.hpp"

namespace renderq {

void add_pause(CLI::App& app, Context& ctx) {
  CLI::App* cmd = app.add_subcommand("pause", "Stop starting jobs (running ones finish); kept across restarts");
  cmd->callback([&ctx] {
    Result<std::unique_ptr<Queue>> spool = ctx.open_queue(true);
    if (!spool) {
      ctx.exit_code = report(spool.error());
      return;
    }
    if (Result<void> ok = check_may_manage(**spool, "pause"); !ok) {
      ctx.exit_code = report(ok.error());
      return;
    }
    if (Result<void> r = (*spool)->store().set_paused(true); !r) ctx.exit_code = report(r.error());
  });
}

}  // namespace renderq
