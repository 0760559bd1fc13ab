// renderq [--spool DIR] migrate --to URL: moves the spool's queue into an
// empty PostgreSQL queue (spool/pg_import.hpp): every job with its id,
// state, times, dependencies and log, in one transaction. The spool is left
// as it was; point --store (or RENDERQ_STORE, `store =`) at the URL
// afterwards. Refused while a daemon serves the spool (its running jobs
// would run twice), and into a queue that already holds jobs (exit 8).
#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

#include "cli/commands.hpp"
#include "spool/pg_import.hpp"
#include "spool/pg_queue.hpp"
#include "spool/serving_daemon.hpp"

namespace renderq {

namespace {

Result<std::string> read_log_file(const Spool& spool, JobId id) {
  std::string out;
  const int fd = ::open(spool.job_log(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;  // never ran: no log
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

int run_migrate(const Context& ctx, const std::string& to) {
  if (!is_pg_url(to))
    return report(Error{Errc::InvalidArgument, "--to takes a postgresql:// or postgres:// URL, not '" + to + "'"});
  Result<Spool> spool = ctx.open_spool(false);
  if (!spool) return report(spool.error());
  if (serving_daemon_pid(spool->dir()))
    return report(Error{Errc::SpoolLocked, "a daemon serves " + spool->dir().string() +
                                               ": stop it first (renderq daemon --stop)"});
  Result<std::unique_ptr<PgQueue>> target = PgQueue::open(to);
  if (!target) return report(target.error());
  Result<ImportReport> r = import_jobs(
      spool->store(), [&](JobId id) { return read_log_file(*spool, id); }, (*target)->pg_store());
  if (!r) return report(r.error());
  std::printf("%lld jobs copied from %s to %s (%lld running jobs requeued, %lld bytes of logs)\n",
              static_cast<long long>(r->jobs), spool->dir().c_str(), (*target)->where().c_str(),
              static_cast<long long>(r->requeued), static_cast<long long>(r->log_bytes));
  return code(Exit::Ok);
}

}  // namespace

void add_migrate(CLI::App& app, Context& ctx) {
  auto to = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("migrate", "Copy the spool's jobs into an empty PostgreSQL queue");
  cmd->add_option("--to", *to, "The PostgreSQL queue (postgresql://...; password in ~/.pgpass)")
      ->required()
      ->type_name("URL");
  cmd->callback([&ctx, to] { ctx.exit_code = run_migrate(ctx, *to); });
}

}  // namespace renderq
