// renderq list [--state S]... [--name GLOB] [--label K=V] [--user U]...
// [--mine] [--limit N] [--json | --format T] [--wide] [--watch [SECS]]: the
// jobs, newest first (highest id first, like `ls -t`): the job just
// submitted is on top, and `--limit N` shows the N most recent. --user and
// --mine keep the jobs of those submitters (a name or a uid; --mine is the
// caller's real uid), filtered by the store. Text: a table under a header
// that fits the terminal (cli/job_table.hpp); --format: one line per job
// from a template; --json: one JSON array of job objects
// (cli/job_format.hpp). A paused queue, or queued jobs with no daemon
// serving the spool, are said on stderr.
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "cli/commands.hpp"
#include "cli/existing_queue.hpp"
#include "cli/job_format.hpp"
#include "cli/job_table.hpp"
#include "cli/queue_notes.hpp"
#include "core/user_db.hpp"

namespace renderq {

namespace {

struct ListOptions {
  std::vector<std::string> states;
  std::string name;
  std::string label;  // K=V
  std::vector<std::string> users;  // names or uids
  bool mine = false;
  int limit = 0;
  bool json = false;
  std::string format;
  bool wide = false;
  double watch = 0;  // seconds between redraws; 0 = print once
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The uids of --user and --mine.
Result<std::vector<std::int64_t>> submitters(const ListOptions& o) {
  std::vector<std::int64_t> uids;
  for (const std::string& u : o.users) {
    auto uid = parse_user(u);
    if (!uid) return fail(uid.error().code, "--user: " + uid.error().detail);
    uids.push_back(*uid);
  }
  if (o.mine) uids.push_back(static_cast<std::int64_t>(::getuid()));
  return uids;
}

// One listing on stdout; the exit code.
int print_list(const Context& ctx, const ListOptions& o, ListQuery q, const JobTemplate* tmpl) {
  auto opened = open_existing_queue(ctx);
  if (!opened) return report(opened.error());
  // Users are read once the queue is open: the static renderq knows only
  // /etc/passwd (core/user_db.hpp), and by now a PostgreSQL queue runs in
  // renderq-full, which asks every source.
  auto uids = submitters(o);
  if (!uids) return report(uids.error());
  q.submitters = std::move(*uids);
  Result<std::vector<Job>> jobs = std::vector<Job>{};
  if (*opened) jobs = (*opened)->store().list(q);
  if (!jobs) return report_store_error(**opened, jobs.error());
  const std::int64_t now = now_ms();
  std::string out;
  if (o.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const Job& job : *jobs) a.push_back(job_to_json(job));
    out = json_text(a) + "\n";
  } else if (tmpl) {
    for (const Job& job : *jobs) out += format_job_line(job, *tmpl, now) + "\n";
  } else {
    out = format_job_table(*jobs, TableOptions{.width = o.wide ? 0 : stdout_columns(), .now_ms = now});
  }
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
  if (*opened) print_queue_notes(**opened);
  return code(Exit::Ok);
}

int run_list(const Context& ctx, const ListOptions& o) {
  ListQuery q;
  for (const std::string& s : o.states) {
    auto state = parse_state(s);
    if (!state) return report(state.error());
    q.states.push_back(*state);
  }
  if (o.limit < 0) return report(Error{Errc::InvalidArgument, "--limit must be 0 (no limit) or more"});
  q.limit = o.limit;
  q.name_glob = o.name;
  if (!o.label.empty()) {
    auto label = parse_label(o.label);
    if (!label) return report(label.error());
    q.label = std::move(*label);
  }
  if (o.json && !o.format.empty()) return report(Error{Errc::InvalidArgument, "--json and --format exclude each other"});
  if (o.watch < 0) return report(Error{Errc::InvalidArgument, "--watch takes a positive number of seconds"});
  std::optional<JobTemplate> tmpl;
  if (!o.format.empty()) {
    auto parsed = parse_job_template(o.format);
    if (!parsed) return report(parsed.error());
    tmpl = std::move(*parsed);
  }
  if (o.watch == 0) return print_list(ctx, o, q, tmpl ? &*tmpl : nullptr);
  // --watch: redraw until interrupted, as watch(1) would; the screen is
  // cleared only on a terminal, so a log of the output stays readable.
  const bool tty = ::isatty(STDOUT_FILENO) != 0;
  for (;;) {
    if (tty) std::fputs("\x1b[H\x1b[2J", stdout);
    if (int rc = print_list(ctx, o, q, tmpl ? &*tmpl : nullptr); rc != code(Exit::Ok)) return rc;
    if (!tty) std::fputs("\n", stdout);
    std::this_thread::sleep_for(std::chrono::duration<double>(o.watch));
  }
}

std::string fields_help() {
  std::string s = "One line per job from a template: {field} with \\t and \\n; fields:";
  for (std::string_view f : job_template_fields()) s += " " + std::string(f);
  return s;
}

}  // namespace

void add_list(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* cmd = app.add_subcommand("list", "List jobs, newest first");
  cmd->add_option("--state", o->states, "Only jobs in state S (repeatable or comma-separated): "
                                        "queued, running, succeeded, failed, canceled")
      ->delimiter(',')
      ->type_name("S");
  cmd->add_option("--name", o->name, "Only jobs whose name matches GLOB (* ? [...], case-sensitive)")
      ->type_name("GLOB");
  cmd->add_option("--label", o->label, "Only jobs with the label NAME=VALUE (submit --label)")->type_name("K=V");
  cmd->add_option("--user", o->users, "Only jobs submitted by USER, an account name or a uid "
                                      "(repeatable or comma-separated)")
      ->delimiter(',')
      ->type_name("USER");
  cmd->add_flag("--mine", o->mine, "Only jobs you submitted (your real uid); adds to --user");
  cmd->add_option("--limit", o->limit, "Show at most N jobs, the newest (default: all)")->type_name("N");
  cmd->add_flag("--json", o->json, "Print one JSON array of job objects");
  cmd->add_option("--format", o->format, fields_help())->type_name("TEMPLATE");
  cmd->add_flag("-w,--wide", o->wide, "Never cut USER, NAME or OUTPUT to the terminal's width");
  cmd->add_option("--watch", o->watch, "Redraw every SECS seconds (default 2) until interrupted")
      ->type_name("SECS")
      ->expected(0, 1)
      ->default_str("2");
  cmd->callback([&ctx, o] { ctx.exit_code = run_list(ctx, *o); });
}

}  // namespace renderq
