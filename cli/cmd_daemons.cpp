// renderq daemons [--json] [--all]: the daemons serving the queue, from its
// daemon registry (spool/daemon_record.hpp), one line each with the jobs it
// holds now (cli/daemon_table.hpp). --all adds the rows of daemons that are
// gone (not seen for three of their leases, or dead on this host), marked.
// A spool that does not exist yet has none. On a PostgreSQL queue it runs
// in renderq-full, like every command there.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/daemon_table.hpp"
#include "cli/existing_queue.hpp"
#include "spool/job_json.hpp"
#include "spool/owner.hpp"

namespace renderq {

namespace {

struct DaemonsOptions {
  bool json = false;
  bool all = false;
};

int run_daemons(const Context& ctx, const DaemonsOptions& o) {
  Result<std::unique_ptr<Queue>> opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  std::vector<DaemonView> views;
  if (*opened) {
    Queue& queue = **opened;
    Result<DaemonRoster> roster = queue.store().daemons();
    if (!roster) return report_store_error(queue, roster.error());
    Result<std::vector<Job>> running = queue.store().list(ListQuery{.states = {JobState::Running}});
    if (!running) return report_store_error(queue, running.error());
    views = daemon_views(*roster, *running, current_owner(), o.all);
    if (views.empty())
      diag(o.all ? "no daemon has served " + queue.where() + " lately, on any host"
                 : "no daemon serves " + queue.where() + " now (`renderq daemons --all` lists the gone ones)");
  }
  if (o.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const DaemonView& v : views) a.push_back(daemon_to_json(v));
    std::printf("%s\n", json_text(a).c_str());
  } else {
    std::fputs(format_daemon_table(views, o.all).c_str(), stdout);
  }
  return code(Exit::Ok);
}

}  // namespace

void add_daemons(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DaemonsOptions>();
  CLI::App* cmd = app.add_subcommand("daemons", "List the daemons serving the queue, on every host, and their jobs");
  cmd->add_flag("--json", o->json, "One JSON array of daemon objects instead of a table");
  cmd->add_flag("--all", o->all, "Also list daemons that are gone (no heartbeat for three leases), marked");
  cmd->callback([&ctx, o] { ctx.exit_code = run_daemons(ctx, *o); });
}

}  // namespace renderq
