#include "spool/sqlite_store.hpp"

#include "spool/job_transitions.hpp"
#include "spool/sqlite_daemons.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>
#include <unistd.h>
#include <utility>

namespace renderq {
namespace {

using Query = SqliteDb::Query;

// Runs `body` and turns any exception into an Error, so none escapes a
// Store method. `what` names the operation for the message.
template <typename F>
auto guarded(std::string_view what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return std::unexpected(sqlite_error(e, what));
  }
}

std::string id_text(JobId id) { return "job " + std::to_string(id.value); }

std::optional<std::int64_t> opt_int64(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

// One row of the job_rows view (sql/0001_init.sql) as a Job.
Result<Job> read_job(SQLite::Statement& s) {
  Job j;
  j.id = JobId{s.getColumn("id").getInt64()};
  Result<JobState> state = parse_state(s.getColumn("state").getString());
  if (!state) return fail(Errc::SpoolCorrupt, id_text(j.id) + " has an unknown state");
  j.state = *state;
  j.name = s.getColumn("name").getString();
  const nlohmann::json spec = nlohmann::json::parse(s.getColumn("spec").getString(), nullptr, false);
  if (spec.is_discarded()) return fail(Errc::SpoolCorrupt, id_text(j.id) + " has an unreadable render spec");
  Result<RenderSpec> parsed = spec_from_json(spec);
  if (!parsed) return fail(Errc::SpoolCorrupt, id_text(j.id) + ": " + parsed.error().message());
  j.spec = std::move(*parsed);
  if (s.getColumn("kind").getString() == "exec") {
    const nlohmann::json ej = nlohmann::json::parse(s.getColumn("exec_json").getString(), nullptr, false);
    Result<ExecSpec> e = fail(Errc::InvalidArgument, "unreadable JSON");
    if (!ej.is_discarded()) e = exec_spec_from_json(ej);
    if (!e) return fail(Errc::SpoolCorrupt, id_text(j.id) + ": exec spec: " + e.error().message());
    j.exec = std::move(*e);
  }
  j.priority = s.getColumn("priority").getInt();
  j.created_ms = s.getColumn("created_ms").getInt64();
  j.started_ms = opt_int64(s.getColumn("started_ms"));
  j.finished_ms = opt_int64(s.getColumn("finished_ms"));
  j.attempts = s.getColumn("attempts").getInt();
  j.max_attempts = s.getColumn("max_attempts").getInt();
  j.timeout_ms = opt_int64(s.getColumn("timeout_ms"));
  const SQLite::Column after = s.getColumn("after_ids");
  if (!after.isNull()) j.after = parse_job_ids(after.getString());
  j.error_code = s.getColumn("error_code").getString();
  j.error_message = s.getColumn("error_message").getString();
  if (!s.getColumn("owner_pid").isNull())
    j.owner = Owner{.host = s.getColumn("owner_host").getString(),
                    .boot_id = s.getColumn("owner_boot_id").getString(),
                    .pid = s.getColumn("owner_pid").getInt64()};
  j.lease_expires_ms = opt_int64(s.getColumn("lease_expires_ms"));
  j.worker = s.getColumn("worker").getString();
  j.device = s.getColumn("device").getString();
  j.progress_done = s.getColumn("progress_done").getInt();
  j.progress_total = s.getColumn("progress_total").getInt();
  j.cancel_requested = s.getColumn("cancel_requested").getInt() != 0;
  j.held = s.getColumn("held").getInt() != 0;
  j.not_before_ms = opt_int64(s.getColumn("not_before_ms"));
  std::optional<std::map<std::string, std::string>> labels = labels_from_json_text(s.getColumn("labels").getString());
  if (!labels) return fail(Errc::SpoolCorrupt, id_text(j.id) + " has unreadable labels");
  j.labels = std::move(*labels);
  j.submitter_uid = opt_int64(s.getColumn("submitter_uid"));
  return j;
}

void bind_owner(SQLite::Statement& s, const Owner& o) {
  s.bind(":host", o.host);
  s.bind(":boot_id", o.boot_id);
  s.bind(":pid", o.pid);
}

// The state machine's row from a statement whose first columns are state,
// attempts, max_attempts, cancel_requested, error_code (from column `first`).
JobRow read_row(SQLite::Statement& s, JobId id, int first = 0) {
  Result<JobState> state = parse_state(s.getColumn(first).getString());
  if (!state) throw std::runtime_error(id_text(id) + " has an unknown state");
  return JobRow{.state = *state,
                .attempts = s.getColumn(first + 1).getInt(),
                .max_attempts = s.getColumn(first + 2).getInt(),
                .cancel_requested = s.getColumn(first + 3).getInt() != 0,
                .error_code = s.getColumn(first + 4).getString()};
}

// The row of a job inside the current transaction; nullopt when absent.
std::optional<JobRow> job_row(SqliteDb& db, JobId id) {
  Query q = db.query("sqlite/job_row.sql");
  q->bind(":id", id.value);
  if (!q->executeStep()) return std::nullopt;
  return read_row(*q, id);
}

Result<Job> get_job(SqliteDb& db, JobId id) {
  Query q = db.query("sqlite/get_job.sql");
  q->bind(":id", id.value);
  if (!q->executeStep()) return fail(Errc::JobNotFound, "no " + id_text(id));
  return read_job(*q);
}

// Fails every queued job that (transitively) depends on `id`, which just
// ended in `why` (failed or canceled): on_dependency_failed, set-based.
void fail_dependents(SqliteDb& db, JobId id, JobState why, std::int64_t now) {
  const std::optional<Transition> t = on_dependency_failed(JobRow{.state = JobState::Queued}, id, why);
  Query q = db.query("sqlite/fail_dependents.sql");
  q->bind(":id", id.value);
  q->bind(":now", now);
  q->bind(":error_code", t->error_code.value_or(""));
  q->bind(":message", t->error_message.value_or(""));
  while (q->executeStep()) {
  }
}

// Writes transition `t` of job `id`, which is in state `from`, and what goes
// with it (the dependents' failure). Throws when the row was not in `from`:
// every caller read it in the same transaction.
void apply(SqliteDb& db, JobId id, JobState from, const Transition& t, std::int64_t now) {
  {
    Query q = db.query("sqlite/apply_transition.sql");
    q->bind(":id", id.value);
    q->bind(":from", std::string(state_name(from)));
    q->bind(":to", std::string(state_name(t.to)));
    q->bind(":attempts", t.attempts);
    q->bind(":finished", t.finished() ? 1 : 0);
    q->bind(":now", now);
    q->bind(":fresh", t.fresh_record ? 1 : 0);
    if (t.error_code) q->bind(":error_code", *t.error_code);
    if (t.error_message) q->bind(":error_message", *t.error_message);
    q->bind(":cancel_requested", t.cancel_requested ? 1 : 0);
    q->bind(":drop_lease", t.drop_lease ? 1 : 0);
    if (q->exec() != 1) throw std::runtime_error(id_text(id) + " changed state inside its transaction");
  }
  if (t.fail_dependents) fail_dependents(db, id, t.to, now);
}

// Dependencies of `id` that failed or were canceled (they block it forever).
std::vector<DependencyState> blocking_deps(SqliteDb& db, JobId id) {
  std::vector<DependencyState> out;
  Query q = db.query("sqlite/unfinished_deps.sql");
  q->bind(":id", id.value);
  while (q->executeStep()) {
    Result<JobState> s = parse_state(q->getColumn(1).getString());
    if (!s) throw std::runtime_error(id_text(id) + " has a dependency in an unknown state");
    out.push_back(DependencyState{.id = JobId{q->getColumn(0).getInt64()}, .state = *s});
  }
  return out;
}

}  // namespace

std::int64_t SqliteStore::system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

SqliteStore::SqliteStore(std::unique_ptr<SqliteDb> db, Clock clock)
    : db_(std::move(db)), clock_(clock ? std::move(clock) : Clock(&SqliteStore::system_now_ms)) {}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& db_path, bool create,
                                                       Clock clock, std::chrono::milliseconds busy_timeout) {
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::open(db_path, create, busy_timeout);
  if (!db) return std::unexpected(db.error());
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db), std::move(clock)));
}

namespace {

// Inserts one job inside the caller's transaction.
Result<JobId> insert_new_job(SqliteDb& db, const NewJob& job, std::int64_t now_ms,
                             const SqliteStore::NewIdCheck& check_id) {
  // A dependency that already failed dooms the job now rather than later.
  std::vector<DependencyState> deps;
  for (JobId dep : job.after) {
    const std::optional<JobRow> row = job_row(db, dep);
    if (!row) return fail(Errc::JobNotFound, "dependency " + id_text(dep) + " does not exist");
    deps.push_back(DependencyState{.id = dep, .state = row->state});
  }
  const Transition initial = on_submit(deps);
  JobId id;
  {
    Query q = db.query("sqlite/insert_job.sql");
    q->bind(":state", std::string(state_name(initial.to)));
    q->bind(":name", job.name);
    q->bind(":spec", to_json(job.exec ? RenderSpec{} : job.spec).dump());
    q->bind(":priority", job.priority);
    q->bind(":now", now_ms);
    if (initial.finished()) q->bind(":finished_ms", now_ms);
    q->bind(":max_attempts", job.max_attempts);
    if (job.timeout_ms) q->bind(":timeout_ms", *job.timeout_ms);
    q->bind(":error_code", initial.error_code.value_or(""));
    q->bind(":error_message", initial.error_message.value_or(""));
    q->bind(":kind", job.exec ? "exec" : "render");
    if (job.exec) q->bind(":exec_json", to_json(*job.exec).dump());
    q->bind(":held", job.held ? 1 : 0);
    if (job.not_before_ms) q->bind(":not_before_ms", *job.not_before_ms);
    q->bind(":labels", labels_to_json_text(job.labels));
    q->bind(":submitter_uid", job.submitter_uid.value_or(static_cast<std::int64_t>(::getuid())));
    if (!q->executeStep()) return fail(Errc::Internal, "submit: insert returned no id");
    id = JobId{q->getColumn(0).getInt64()};
  }
  if (check_id)
    if (Result<void> fresh = check_id(id); !fresh) return std::unexpected(fresh.error());
  for (JobId dep : job.after) {
    Query q = db.query("sqlite/insert_dep.sql");
    q->bind(":job_id", id.value);
    q->bind(":dep_id", dep.value);
    q->exec();
  }
  // Files named by the id are placed before the commit, so no worker can
  // claim the job before they are there; a failure rolls the insert back.
  if (job.place_files && !job.exec) {
    RenderSpec placed = job.spec;
    if (Result<void> r = job.place_files(id, placed); !r) return std::unexpected(r.error());
    if (Result<void> ok = validate_values(placed); !ok) return std::unexpected(ok.error());
    if (!(placed == job.spec)) {
      Query q = db.query("sqlite/update_spec.sql");
      q->bind(":spec", to_json(placed).dump());
      q->bind(":id", id.value);
      q->exec();
    }
  }
  return id;
}

}  // namespace

Result<JobId> SqliteStore::submit(const NewJob& job) {
  Result<std::vector<JobId>> ids = submit_batch(std::span<const NewJob>(&job, 1));
  if (!ids) return std::unexpected(ids.error());
  return ids->front();
}

Result<std::vector<JobId>> SqliteStore::submit_batch(std::span<const NewJob> jobs, std::size_t* failed) {
  if (Result<void> ok = check_new_jobs(jobs, failed); !ok) return std::unexpected(ok.error());
  return guarded("submit", [&]() -> Result<std::vector<JobId>> {
    db_->set_synchronous_full(true);
    ImmediateTxn txn(*db_);
    const std::int64_t now_ms = now();
    std::vector<JobId> ids;
    ids.reserve(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      Result<JobId> id = insert_new_job(*db_, jobs[i], now_ms, new_id_check_);
      if (!id) {
        if (failed) *failed = i;
        return std::unexpected(id.error());
      }
      ids.push_back(*id);
    }
    txn.commit();
    return ids;
  });
}

Result<Job> SqliteStore::get(JobId id) {
  return guarded("status", [&] { return get_job(*db_, id); });
}

Result<std::vector<Job>> SqliteStore::list(const ListQuery& lq) {
  return guarded("list", [&]() -> Result<std::vector<Job>> {
    const std::int64_t limit = lq.limit > 0 ? lq.limit : -1;
    const std::int64_t before = lq.before ? lq.before->value : std::numeric_limits<std::int64_t>::max();
    std::vector<JobState> states = lq.states;
    std::sort(states.begin(), states.end());
    states.erase(std::unique(states.begin(), states.end()), states.end());
    std::string users;  // a JSON array for json_each, "" = all
    for (std::int64_t uid : lq.submitters) users += (users.empty() ? "[" : ",") + std::to_string(uid);
    if (!users.empty()) users += "]";
    std::vector<Job> out;
    auto run = [&](Query q) -> Result<void> {
      q->bind(":limit", limit);
      q->bind(":before", before);
      q->bind(":name", lq.name_glob);
      q->bind(":label_key", lq.label ? lq.label->first : std::string());
      q->bind(":label_value", lq.label ? lq.label->second : std::string());
      q->bind(":users", users);
      while (q->executeStep()) {
        Result<Job> j = read_job(*q);
        if (!j) return std::unexpected(j.error());
        out.push_back(std::move(*j));
      }
      return {};
    };
    if (states.empty()) {
      if (Result<void> r = run(db_->query("sqlite/list_all.sql")); !r) return std::unexpected(r.error());
      return out;
    }
    // One bounded index walk per state, merged: each walk reads at most
    // `limit` rows however many jobs the other states hold.
    for (JobState s : states) {
      Query q = db_->query("sqlite/list_state.sql");
      q->bind(":state", std::string(state_name(s)));
      if (Result<void> r = run(std::move(q)); !r) return std::unexpected(r.error());
    }
    std::sort(out.begin(), out.end(), [](const Job& a, const Job& b) { return a.id > b.id; });
    if (limit > 0 && out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
    return out;
  });
}

Result<QueueCounts> SqliteStore::counts() {
  return guarded("count jobs", [&]() -> Result<QueueCounts> {
    QueueCounts c;
    Query q = db_->query("sqlite/counts.sql");
    while (q->executeStep()) {
      Result<JobState> s = parse_state(q->getColumn(0).getString());
      if (!s) return fail(Errc::SpoolCorrupt, "a job has an unknown state");
      c.of(*s) = q->getColumn(1).getInt64();
    }
    return c;
  });
}

Result<std::optional<Job>> SqliteStore::claim(const ClaimRequest& req) {
  if (req.lease_ms <= 0) return fail(Errc::InvalidArgument, "lease must be positive");
  return guarded("claim", [&]() -> Result<std::optional<Job>> {
    {
      Query peek = db_->query("sqlite/claim_peek.sql");
      if (!peek->executeStep()) return std::optional<Job>();
    }
    db_->set_synchronous_full(false);
    ImmediateTxn txn(*db_);
    const std::int64_t now_ms = req.now_ms != 0 ? req.now_ms : now();
    JobId id;
    {
      Query q = db_->query("sqlite/claim.sql");
      q->bind(":now", now_ms);
      q->bind(":lease_ms", req.lease_ms);
      bind_owner(*q, req.owner);
      q->bind(":worker", req.worker);
      q->bind(":device", req.device);
      if (!q->executeStep()) return std::optional<Job>();
      id = JobId{q->getColumn(0).getInt64()};
    }
    Result<Job> job = get_job(*db_, id);
    if (!job) return std::unexpected(job.error());
    txn.commit();
    return std::optional<Job>(std::move(*job));
  });
}

Result<bool> SqliteStore::renew(JobId id, const Owner& owner, std::int64_t lease_ms) {
  if (lease_ms <= 0) return fail(Errc::InvalidArgument, "lease must be positive");
  return guarded("renew lease", [&]() -> Result<bool> {
    db_->set_synchronous_full(false);
    ImmediateTxn txn(*db_);
    bool cancel = false;
    {
      Query q = db_->query("sqlite/renew.sql");
      q->bind(":id", id.value);
      q->bind(":now", now());
      q->bind(":lease_ms", lease_ms);
      bind_owner(*q, owner);
      if (!q->executeStep()) {
        if (!job_row(*db_, id)) return fail(Errc::JobNotFound, "no " + id_text(id));
        return fail(Errc::LeaseLost, id_text(id) + " is no longer held by this worker");
      }
      cancel = q->getColumn(0).getInt() != 0;
    }
    txn.commit();
    return cancel;
  });
}

Result<void> SqliteStore::set_progress(JobId id, const Owner& owner, int done, int total) {
  if (done < 0 || total < 0) return fail(Errc::InvalidArgument, "progress must not be negative");
  return guarded("report progress", [&]() -> Result<void> {
    db_->set_synchronous_full(false);
    ImmediateTxn txn(*db_);
    {
      Query q = db_->query("sqlite/set_progress.sql");
      q->bind(":id", id.value);
      q->bind(":done", done);
      q->bind(":total", total);
      bind_owner(*q, owner);
      if (!q->executeStep()) return fail(Errc::LeaseLost, id_text(id) + " is no longer held by this worker");
    }
    txn.commit();
    return {};
  });
}

Result<void> SqliteStore::set_worker(JobId id, const Owner& owner, const std::string& worker) {
  return guarded("record the worker", [&]() -> Result<void> {
    db_->set_synchronous_full(false);
    ImmediateTxn txn(*db_);
    {
      Query q = db_->query("sqlite/set_worker.sql");
      q->bind(":id", id.value);
      q->bind(":worker", worker);
      bind_owner(*q, owner);
      if (!q->executeStep()) return fail(Errc::LeaseLost, id_text(id) + " is no longer held by this worker");
    }
    txn.commit();
    return {};
  });
}

Result<JobState> SqliteStore::finish(JobId id, const Owner& owner, const Outcome& outcome) {
  return guarded("finish", [&]() -> Result<JobState> {
    // NORMAL: no fsync per job (it was most of the daemon's per-job cost).
    // A crash of any process loses nothing; a power loss can lose the last
    // outcomes (and the images, which are renamed without an fsync): those
    // jobs come back running under an owner of another boot and are
    // requeued, or failed worker_crashed when no attempt is left.
    db_->set_synchronous_full(false);
    ImmediateTxn txn(*db_);
    JobRow row;
    {
      Query q = db_->query("sqlite/owned_job.sql");
      q->bind(":id", id.value);
      bind_owner(*q, owner);
      if (outcome.attempt) q->bind(":attempt", *outcome.attempt);
      if (!q->executeStep()) {
        q->reset();
        if (!job_row(*db_, id)) return fail(Errc::JobNotFound, "no " + id_text(id));
        return fail(Errc::LeaseLost, id_text(id) + " is no longer held by this worker");
      }
      row = read_row(*q, id);
    }
    Result<Transition> t = on_finish(row, outcome);
    if (t && outcome.publish && publishes(*t))  // held, and locked (BEGIN IMMEDIATE)
      if (Result<void> p = outcome.publish(); !p && t->to == JobState::Succeeded) t = on_publish_failed(row, p.error());
    if (!t) return fail(t.error().code, id_text(id) + " " + t.error().detail);
    apply(*db_, id, row.state, *t, now());
    if (outcome.progress) {
      Query q = db_->query("sqlite/finish_progress.sql");
      q->bind(":id", id.value);
      q->bind(":done", (*outcome.progress)[0]);
      q->bind(":total", (*outcome.progress)[1]);
      q->exec();
    }
    txn.commit();
    return t->to;
  });
}

Result<CancelResult> SqliteStore::cancel(JobId id) {
  return guarded("cancel", [&]() -> Result<CancelResult> {
    db_->set_synchronous_full(true);
    ImmediateTxn txn(*db_);
    const std::optional<JobRow> row = job_row(*db_, id);
    if (!row) return fail(Errc::JobNotFound, "no " + id_text(id));
    const CancelTransition c = on_cancel(*row);
    if (c.transition) apply(*db_, id, row->state, *c.transition, now());
    txn.commit();
    return c.result;
  });
}

Result<void> SqliteStore::edit(JobId id, const JobEdit& e) {
  return guarded("edit", [&]() -> Result<void> {
    db_->set_synchronous_full(true);
    ImmediateTxn txn(*db_);
    const std::optional<JobRow> row = job_row(*db_, id);
    if (!row) return fail(Errc::JobNotFound, "no " + id_text(id));
    if (Result<void> ok = on_edit(*row); !ok) return fail(ok.error().code, id_text(id) + " " + ok.error().detail);
    Query q = db_->query("sqlite/edit_job.sql");
    q->bind(":id", id.value);
    if (e.held) q->bind(":held", *e.held ? 1 : 0);
    if (e.priority) q->bind(":priority", *e.priority);
    q->bind(":set_not_before", e.not_before_ms ? 1 : 0);
    if (e.not_before_ms && *e.not_before_ms) q->bind(":not_before_ms", **e.not_before_ms);
    q->exec();
    txn.commit();
    return {};
  });
}

Result<void> SqliteStore::retry(JobId id) {
  return guarded("retry", [&]() -> Result<void> {
    db_->set_synchronous_full(true);
    ImmediateTxn txn(*db_);
    const std::optional<JobRow> row = job_row(*db_, id);
    if (!row) return fail(Errc::JobNotFound, "no " + id_text(id));
    Result<Transition> t = on_retry(*row, is_finished(row->state) ? blocking_deps(*db_, id)
                                                                   : std::vector<DependencyState>());
    if (!t) return fail(t.error().code, id_text(id) + " " + t.error().detail);
    const std::int64_t now_ms = now();
    apply(*db_, id, row->state, *t, now_ms);
    // Dependents that failed only because of this job come back too, as
    // long as no other dependency of theirs is still failed or canceled.
    std::vector<JobId> work{id};
    while (!work.empty()) {
      const JobId parent = work.back();
      work.pop_back();
      std::vector<std::pair<JobId, JobRow>> dependents;
      {
        Query q = db_->query("sqlite/failed_dependents.sql");
        q->bind(":id", parent.value);
        while (q->executeStep()) {
          const JobId d{q->getColumn(0).getInt64()};
          dependents.emplace_back(d, read_row(*q, d, 1));
        }
      }
      for (const auto& [d, drow] : dependents) {
        const std::optional<Transition> back = on_dependency_retried(drow, blocking_deps(*db_, d));
        if (!back) continue;
        apply(*db_, d, drow.state, *back, now_ms);
        work.push_back(d);
      }
    }
    txn.commit();
    return {};
  });
}

namespace {

struct RunningJob {
  JobId id;
  JobRow row;
  Owner owner;
  std::int64_t lease = 0;
};

std::vector<RunningJob> running_jobs(SqliteDb& db) {
  std::vector<RunningJob> running;
  Query q = db.query("sqlite/running_jobs.sql");
  while (q->executeStep())
    running.push_back(RunningJob{
        .id = JobId{q->getColumn("id").getInt64()},
        .row = JobRow{.state = JobState::Running,
                      .attempts = q->getColumn("attempts").getInt(),
                      .max_attempts = q->getColumn("max_attempts").getInt(),
                      .cancel_requested = q->getColumn("cancel_requested").getInt() != 0,
                      .error_code = q->getColumn("error_code").getString()},
        .owner = Owner{.host = q->getColumn("owner_host").getString(),
                       .boot_id = q->getColumn("owner_boot_id").getString(),
                       .pid = q->getColumn("owner_pid").getInt64()},
        .lease = q->getColumn("lease_expires_ms").getInt64()});
  return running;
}

}  // namespace

Result<std::vector<JobId>> SqliteStore::requeue_expired(std::int64_t now_ms,
                                                        const std::function<bool(const Owner&)>& owner_alive) {
  return guarded("requeue expired jobs", [&]() -> Result<std::vector<JobId>> {
    const auto lost = [&](const RunningJob& r, bool* expired) {
      *expired = r.lease < now_ms;
      return *expired || (owner_alive && !owner_alive(r.owner));
    };
    // A first look without the write lock: daemons call this periodically
    // and there is usually nothing to do.
    bool any = false, expired = false;
    for (const RunningJob& r : running_jobs(*db_)) any = any || lost(r, &expired);
    if (!any) return std::vector<JobId>();

    db_->set_synchronous_full(true);
    ImmediateTxn txn(*db_);
    std::vector<JobId> touched;
    for (const RunningJob& r : running_jobs(*db_)) {
      if (!lost(r, &expired)) continue;
      const std::string who = r.owner.host + ":" + std::to_string(r.owner.pid);
      Result<Transition> t = on_lease_lost(r.row, expired ? LeaseLoss::Expired : LeaseLoss::OwnerDied, who);
      if (!t) return fail(t.error().code, id_text(r.id) + " " + t.error().detail);
      apply(*db_, r.id, r.row.state, *t, now_ms);
      touched.push_back(r.id);
    }
    txn.commit();
    return touched;
  });
}

Result<std::vector<JobId>> SqliteStore::purge(std::int64_t cutoff_ms) {
  return guarded("purge", [&]() -> Result<std::vector<JobId>> {
    db_->set_synchronous_full(true);
    ImmediateTxn txn(*db_);
    std::vector<JobId> ids;
    {
      Query q = db_->query("sqlite/purge_select.sql");
      q->bind(":cutoff", cutoff_ms);
      while (q->executeStep()) ids.push_back(JobId{q->getColumn(0).getInt64()});
    }
    for (JobId id : ids) {
      for (const char* path : {"sqlite/purge_delete_deps.sql", "sqlite/purge_delete.sql"}) {
        Query q = db_->query(path);
        q->bind(":id", id.value);
        q->exec();
      }
    }
    txn.commit();
    return ids;
  });
}

Result<bool> SqliteStore::paused() {
  return guarded("read the pause flag", [&]() -> Result<bool> {
    Query q = db_->query("sqlite/get_paused.sql");
    return q->executeStep() && q->getColumn(0).getInt() != 0;
  });
}

Result<void> SqliteStore::set_paused(bool paused) {
  return guarded(paused ? "pause" : "resume", [&]() -> Result<void> {
    db_->set_synchronous_full(true);
    ImmediateTxn txn(*db_);
    {
      Query q = db_->query("sqlite/set_paused.sql");
      q->bind(":paused", paused ? 1 : 0);
      q->exec();
    }
    txn.commit();
    return {};
  });
}

Result<std::int64_t> SqliteStore::last_issued_id() {
  return guarded("read the last job id", [&]() -> Result<std::int64_t> {
    Query q = db_->query("sqlite/last_issued_id.sql");
    return q->executeStep() ? q->getColumn(0).getInt64() : 0;
  });
}

Result<std::vector<JobId>> SqliteStore::existing(std::span<const JobId> ids) {
  if (ids.empty()) return std::vector<JobId>{};
  return guarded("look up jobs", [&]() -> Result<std::vector<JobId>> {
    std::string a;  // a JSON array for json_each
    for (JobId id : ids) a += (a.empty() ? "[" : ",") + std::to_string(id.value);
    Query q = db_->query("sqlite/existing_ids.sql");
    q->bind(":ids", a + "]");
    std::vector<JobId> out;
    while (q->executeStep()) out.push_back(JobId{q->getColumn(0).getInt64()});
    return out;
  });
}

Result<std::int64_t> SqliteStore::change_marker() {
  return guarded("check for changes", [&]() -> Result<std::int64_t> {
    // data_version grows when another connection commits; our own commits
    // are counted separately. Both only grow, so the sum changes on every
    // commit by anyone.
    SQLite::Statement q(db_->db(), "PRAGMA data_version");
    const std::int64_t v = q.executeStep() ? q.getColumn(0).getInt64() : 0;
    return v + db_->commits();
  });
}

Result<void> SqliteStore::record_daemon(const DaemonRecord& d) {
  if (Result<void> ok = check_daemon_record(d); !ok) return ok;
  return guarded("record the daemon", [&]() -> Result<void> {
    sqlite_record_daemon(*db_, d, now());
    return {};
  });
}

Result<void> SqliteStore::remove_daemon(const Owner& owner) {
  return guarded("remove the daemon's record", [&]() -> Result<void> {
    sqlite_remove_daemon(*db_, owner);
    return {};
  });
}

Result<DaemonRoster> SqliteStore::daemons() {
  return guarded("read the daemons", [&] { return sqlite_daemons(*db_, now()); });
}

Result<int> SqliteStore::forget_daemons(std::int64_t forget_ms) {
  return guarded("forget stale daemons", [&]() -> Result<int> { return sqlite_forget_daemons(*db_, forget_ms, now()); });
}

}  // namespace renderq
