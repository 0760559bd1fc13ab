// renderq retry ID: puts a failed or canceled job back in the queue with a
// fresh attempt budget; prints "ID queued". Exit 3 for an unknown id, 8 for
// a job in any other state.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/existing_spool.hpp"

namespace renderq {

namespace {

struct RetryOptions {
  std::int64_t id = 0;
};

int run_retry(const Context& ctx, const RetryOptions& o) {
  auto opened = open_existing_spool(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) return report(no_such_job(o.id, ctx));
  Spool* spool = &**opened;
  if (auto ok = spool->store().retry(JobId{o.id}); !ok) return report_store_error(*spool, ok.error());
  spool->wake();
  std::printf("%lld queued\n", static_cast<long long>(o.id));
  return code(Exit::Ok);
}

}  // namespace

void add_retry(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<RetryOptions>();
  CLI::App* cmd = app.add_subcommand("retry", "Queue a failed or canceled job again");
  cmd->add_option("id", o->id, "Job id")->required()->type_name("ID");
  cmd->callback([&ctx, o] { ctx.exit_code = run_retry(ctx, *o); });
}

}  // namespace renderq
