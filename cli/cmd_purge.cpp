// renderq purge --older-than DUR: deletes finished jobs (succeeded, failed,
// canceled) that finished more than DUR ago, and their spool folders (log,
// uploaded inputs; never the rendered images). Prints the purged ids, one per
// line. `--older-than 0` purges every finished job. The option is required
// so that a bare `renderq purge` cannot empty the history by accident.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/job_access.hpp"
#include "core/duration.hpp"

namespace renderq {

namespace {

struct PurgeOptions {
  std::string older_than;
};

int run_purge(const Context& ctx, const PurgeOptions& o) {
  auto age = parse_duration(o.older_than);
  if (!age) return report(age.error());
  auto opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) return code(Exit::Ok);  // no spool, nothing finished
  Queue* spool = opened->get();
  if (auto ok = check_may_manage(*spool, "purge"); !ok) return report(ok.error());
  // Rows first, then files: a crash in between leaves stray folders, which
  // are harmless, never a job row whose log is gone.
  auto ids = spool->store().purge(now_unix_ms() - age->count());
  if (!ids) return report_store_error(*spool, ids.error());
  int exit = code(Exit::Ok);
  for (JobId id : *ids) {
    if (auto removed = spool->forget_job(id); !removed) {
      diag("job " + std::to_string(id.value) + ": " + removed.error().message());
      exit = code(Exit::Failure);
    }
    std::printf("%lld\n", static_cast<long long>(id.value));
  }
  return exit;
}

}  // namespace

void add_purge(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<PurgeOptions>();
  CLI::App* cmd = app.add_subcommand("purge", "Delete finished jobs older than DUR and their spool files");
  cmd->add_option("--older-than", o->older_than, "Finished more than DUR ago, e.g. 7d, 12h, 0 (all)")
      ->required()
      ->type_name("DUR");
  cmd->callback([&ctx, o] { ctx.exit_code = run_purge(ctx, *o); });
}

}  // namespace renderq
