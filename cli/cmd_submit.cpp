// renderq submit SCENE -o OUT [render options] [--priority P] [--after ID]...
//   [--timeout DUR] [--retries N] [--name S] [--json]
//
// Validates everything it can before touching the spool (values, then the
// files), stores the job in one durable commit, wakes the daemons and prints
// only the id, so `id=$(renderq submit ...)` works. It never waits for a
// render: its cost is one SQLite commit and one write to the wake FIFO.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/existing_spool.hpp"
#include "cli/job_format.hpp"
#include "cli/queue_notes.hpp"
#include "cli/render_options.hpp"
#include "core/duration.hpp"

namespace renderq {

namespace {

// Generous but finite: a job retried more often than this is a bug upstream.
constexpr int kMaxRetries = 100;
constexpr std::size_t kMaxNameBytes = 200;

struct SubmitOptions {
  RenderOptionValues render;
  int priority = 0;
  std::vector<std::int64_t> after;
  std::string timeout;
  int retries = 0;
  std::string name;
  bool json = false;
};

Result<NewJob> to_new_job(const SubmitOptions& o) {
  auto spec = to_spec(o.render);
  if (!spec) return std::unexpected(spec.error());
  if (auto ok = validate_files(*spec); !ok) return std::unexpected(ok.error());
  NewJob job;
  job.spec = std::move(*spec);
  job.name = o.name;
  job.priority = o.priority;
  if (o.retries < 0 || o.retries > kMaxRetries)
    return fail(Errc::InvalidArgument,
                "--retries " + std::to_string(o.retries) + " is out of range (0.." + std::to_string(kMaxRetries) + ")");
  job.max_attempts = 1 + o.retries;
  if (!o.timeout.empty()) {
    auto t = parse_duration(o.timeout);
    if (!t) return std::unexpected(t.error());
    if (t->count() <= 0) return fail(Errc::BadDuration, "--timeout must be longer than 0: '" + o.timeout + "'");
    job.timeout_ms = t->count();
  }
  if (o.name.size() > kMaxNameBytes)
    return fail(Errc::InvalidArgument, "--name is longer than " + std::to_string(kMaxNameBytes) + " bytes");
  for (unsigned char c : o.name)
    if (c < 0x20 || c == 0x7f)
      return fail(Errc::InvalidArgument, "--name must not contain control characters");
  for (std::int64_t id : o.after) job.after.push_back(JobId{id});
  return job;
}

int run_submit(const Context& ctx, const SubmitOptions& o) {
  // Phase 1: validate; nothing touches the spool before this passes.
  auto job = to_new_job(o);
  if (!job) return report(job.error());
  // Phase 2: one durable commit, then wake the daemons.
  auto spool = ctx.open_spool(true);
  if (!spool) return report(spool.error());
  if (spool->created()) diag("created a new spool at " + spool->dir().string());
  auto id = spool->store().submit(*job);
  if (!id) return report_store_error(*spool, id.error());
  spool->wake();
  // Phase 3: print. A job whose dependency already failed is stored failed.
  if (o.json || !job->after.empty()) {
    auto stored = spool->store().get(*id);
    if (!stored) return report_store_error(*spool, stored.error());
    if (stored->state == JobState::Failed)
      diag("job " + std::to_string(id->value) + " failed at once: " + stored->error_message);
    if (o.json) {
      std::puts(job_to_json(*stored).dump().c_str());
      std::fflush(stdout);
      print_queue_notes(*spool);
      return code(Exit::Ok);
    }
  }
  std::printf("%lld\n", static_cast<long long>(id->value));
  std::fflush(stdout);
  print_queue_notes(*spool);
  return code(Exit::Ok);
}

}  // namespace

void add_submit(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SubmitOptions>();
  CLI::App* cmd = app.add_subcommand("submit", "Queue a render job and print its id");
  add_render_options(*cmd, o->render);
  cmd->add_option("--priority", o->priority, "Higher runs first (default 0)")->type_name("P");
  cmd->add_option("--after", o->after, "Run only after job ID succeeded (repeatable or comma-separated)")
      ->delimiter(',')
      ->type_name("ID");
  cmd->add_option("--timeout", o->timeout, "Fail an attempt that runs longer, e.g. 90s, 10m")->type_name("DUR");
  cmd->add_option("--retries", o->retries, "Extra attempts after a worker crash or lost lease (default 0)")
      ->type_name("N");
  cmd->add_option("--name", o->name, "A label shown by list and status")->type_name("S");
  cmd->add_flag("--json", o->json, "Print the stored job as one JSON object instead of the id");
  cmd->callback([&ctx, o] { ctx.exit_code = run_submit(ctx, *o); });
}

}  // namespace renderq
