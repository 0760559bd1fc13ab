// renderq wait ID... [--timeout DUR] [--quiet]: blocks until every job is
// finished. Exit 0 when all succeeded, 4 when any failed, else 5 when any was
// canceled; 3 when an id does not exist (checked before waiting), 6 when
// --timeout elapsed first.
//
// Waiting is cheap: it polls the store's change_marker() (SQLite's
// PRAGMA data_version, one page-cache read, no disk I/O) every kPoll and
// rereads the jobs only when another connection committed.
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.hpp"
#include "cli/existing_spool.hpp"
#include "cli/wait_report.hpp"
#include "core/duration.hpp"

namespace renderq {

namespace {

// Short enough that a script continues within a frame of the job ending,
// long enough that a waiter costs well under 1% of a core.
constexpr std::chrono::milliseconds kPoll{25};

struct WaitOptions {
  std::vector<std::int64_t> ids;
  std::string timeout;
  bool quiet = false;
};

std::string id_list(const std::vector<Job>& jobs) {
  std::string out;
  for (const Job& job : jobs) out += (out.empty() ? "" : " ") + std::to_string(job.id.value);
  return out;
}

int run_wait(const Context& ctx, const WaitOptions& o) {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> deadline;
  if (!o.timeout.empty()) {
    auto t = parse_duration(o.timeout);
    if (!t) return report(t.error());
    deadline = Clock::now() + *t;
  }
  auto opened = open_existing_spool(ctx);
  if (!opened) return report(opened.error());
  if (!*opened) return report(no_such_job(o.ids.front(), ctx));
  Store& store = (*opened)->store();

  // Every id must exist before we wait on any: a typo fails at once.
  std::vector<Job> pending;
  for (std::int64_t raw : o.ids) {
    JobId id{raw};
    if (std::any_of(pending.begin(), pending.end(), [&](const Job& j) { return j.id == id; })) continue;
    auto job = store.get(id);
    if (!job) return report_store_error(**opened, job.error());
    pending.push_back(std::move(*job));
  }

  auto reporter = make_wait_reporter({.quiet = o.quiet});
  bool any_failed = false, any_canceled = false;
  std::optional<std::int64_t> seen_marker;
  for (bool fresh = true;; fresh = false) {
    // Reread the pending jobs only when something committed since last time.
    auto marker = store.change_marker();
    if (!marker) return report_store_error(**opened, marker.error());
    if (fresh || marker != seen_marker) {
      seen_marker = *marker;
      std::vector<Job> still;
      for (const Job& old : pending) {
        auto job = fresh ? Result<Job>(old) : store.get(old.id);
        // Purged while we waited: it finished, but we cannot say how.
        if (!job) {
          reporter->done();
          return report_store_error(**opened, job.error());
        }
        if (!is_finished(job->state)) {
          still.push_back(std::move(*job));
          continue;
        }
        any_failed |= job->state == JobState::Failed;
        any_canceled |= job->state == JobState::Canceled;
        reporter->finished(*job);
      }
      pending = std::move(still);
      if (pending.empty()) break;
      reporter->update(pending);
    }
    Clock::time_point now = Clock::now();
    if (deadline && now >= *deadline) {
      reporter->done();
      diag("timed out waiting for job" + std::string(pending.size() > 1 ? "s " : " ") + id_list(pending));
      return code(Exit::TimedOut);
    }
    auto nap = deadline ? std::min<Clock::duration>(kPoll, *deadline - now) : Clock::duration(kPoll);
    std::this_thread::sleep_for(nap);
  }
  reporter->done();
  if (any_failed) return code(Exit::JobFailed);
  if (any_canceled) return code(Exit::JobCanceled);
  return code(Exit::Ok);
}

}  // namespace

void add_wait(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<WaitOptions>();
  CLI::App* cmd = app.add_subcommand("wait", "Wait until jobs finish; the exit code tells how they ended");
  cmd->add_option("ids", o->ids, "Job ids")->required()->type_name("ID");
  cmd->add_option("--timeout", o->timeout, "Give up after DUR (exit 6), e.g. 30s, 10m")->type_name("DUR");
  cmd->add_flag("-q,--quiet", o->quiet, "Print nothing on stdout; only the exit code tells");
  cmd->callback([&ctx, o] { ctx.exit_code = run_wait(ctx, *o); });
}

}  // namespace renderq
