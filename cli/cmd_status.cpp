// renderq status ID [--json]: one job's state and details.
// Text: "key: value" lines; --json: one object (cli/job_format.hpp).
// Exit 3 when the job does not exist.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/job_format.hpp"
#include "cli/queue_notes.hpp"

namespace renderq {

namespace {

struct StatusOptions {
  std::int64_t id = 0;
  bool json = false;
};

int run_status(const Context& ctx, const StatusOptions& o) {
  auto opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) return report(no_such_job(o.id, ctx));
  Queue* spool = opened->get();
  auto job = spool->store().get(JobId{o.id});
  if (!job) return report_store_error(*spool, job.error());
  if (o.json) {
    nlohmann::json j = job_to_json(*job);
    j["log"] = spool->log_name(job->id);
    std::puts(json_text(j).c_str());
  } else {
    std::string text = format_job_detail(*job);
    text += "log:         " + spool->log_name(job->id) + "\n";
    std::fputs(text.c_str(), stdout);
  }
  std::fflush(stdout);
  if (job->state == JobState::Queued || job->state == JobState::Running) print_queue_notes(*spool);
  return code(Exit::Ok);
}

}  // namespace

void add_status(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<StatusOptions>();
  CLI::App* cmd = app.add_subcommand("status", "Show one job's state and details");
  cmd->add_option("id", o->id, "Job id")->required()->type_name("ID");
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([&ctx, o] { ctx.exit_code = run_status(ctx, *o); });
}

}  // namespace renderq
