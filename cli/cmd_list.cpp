// renderq list [--state S]... [--limit N] [--json]: the jobs, newest first
// (highest id first, like `ls -t`): the job just submitted is on top, and
// `--limit N` shows the N most recent. Text: a table under a header; --json:
// one JSON array of job objects (cli/job_format.hpp).
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/existing_spool.hpp"
#include "cli/job_format.hpp"

namespace renderq {

namespace {

struct ListOptions {
  std::vector<std::string> states;
  int limit = 0;
  bool json = false;
};

int run_list(const Context& ctx, const ListOptions& o) {
  ListQuery q;
  for (const std::string& s : o.states) {
    auto state = parse_state(s);
    if (!state) return report(state.error());
    q.states.push_back(*state);
  }
  if (o.limit < 0) return report(Error{Errc::InvalidArgument, "--limit must be 0 (no limit) or more"});
  q.limit = o.limit;
  auto opened = open_existing_spool(ctx);
  if (!opened) return report(opened.error());
  Result<std::vector<Job>> jobs = std::vector<Job>{};
  if (*opened) jobs = (*opened)->store().list(q);
  if (!jobs) return report_store_error(**opened, jobs.error());
  if (o.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const Job& job : *jobs) a.push_back(job_to_json(job));
    std::puts(a.dump().c_str());
  } else {
    std::fputs(format_job_table(*jobs).c_str(), stdout);
  }
  return code(Exit::Ok);
}

}  // namespace

void add_list(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* cmd = app.add_subcommand("list", "List jobs, newest first");
  cmd->add_option("--state", o->states, "Only jobs in state S (repeatable or comma-separated): "
                                        "queued, running, succeeded, failed, canceled")
      ->delimiter(',')
      ->type_name("S");
  cmd->add_option("--limit", o->limit, "Show at most N jobs, the newest (default: all)")->type_name("N");
  cmd->add_flag("--json", o->json, "Print one JSON array of job objects");
  cmd->callback([&ctx, o] { ctx.exit_code = run_list(ctx, *o); });
}

}  // namespace renderq
