#include "spool/pg_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <limits>
#include <unistd.h>
#include <utility>

#include "spool/job_transitions.hpp"
#include "spool/name_glob.hpp"
#include "spool/pg_daemons.hpp"
#include "spool/pg_migrate.hpp"

namespace renderq {
namespace {

std::string id_text(JobId id) { return "job " + std::to_string(id.value); }

JobState state_of(const std::string& text, JobId id) {
  Result<JobState> s = parse_state(text);
  if (!s) throw PgError(Error{Errc::SpoolCorrupt, id_text(id) + " has an unknown state"});
  return *s;
}

// One row of the job_rows view (or claim's RETURNING) as a Job.
Result<Job> read_job(const PgRows& r, int i) {
  Job j;
  j.id = JobId{r.int64(i, "id")};
  j.state = state_of(r.text(i, "state"), j.id);
  j.name = r.text(i, "name");
  const nlohmann::json spec = nlohmann::json::parse(r.text(i, "spec"), nullptr, false);
  if (spec.is_discarded()) return fail(Errc::SpoolCorrupt, id_text(j.id) + " has an unreadable render spec");
  Result<RenderSpec> parsed = spec_from_json(spec);
  if (!parsed) return fail(Errc::SpoolCorrupt, id_text(j.id) + ": " + parsed.error().message());
  j.spec = std::move(*parsed);
  if (r.text(i, "kind") == "exec") {
    const nlohmann::json ej = nlohmann::json::parse(r.text(i, "exec_json"), nullptr, false);
    Result<ExecSpec> e = fail(Errc::InvalidArgument, "unreadable JSON");
    if (!ej.is_discarded()) e = exec_spec_from_json(ej);
    if (!e) return fail(Errc::SpoolCorrupt, id_text(j.id) + ": exec spec: " + e.error().message());
    j.exec = std::move(*e);
  }
  j.priority = r.int32(i, "priority");
  j.created_ms = r.int64(i, "created_ms");
  j.started_ms = r.opt_int64(i, "started_ms");
  j.finished_ms = r.opt_int64(i, "finished_ms");
  j.attempts = r.int32(i, "attempts");
  j.max_attempts = r.int32(i, "max_attempts");
  j.timeout_ms = r.opt_int64(i, "timeout_ms");
  if (!r.null(i, "after_ids")) j.after = parse_job_ids(r.text(i, "after_ids"));
  j.error_code = r.text(i, "error_code");
  j.error_message = r.text(i, "error_message");
  if (!r.null(i, "owner_pid"))
    j.owner = Owner{.host = r.text(i, "owner_host"), .boot_id = r.text(i, "owner_boot_id"),
                    .pid = r.int64(i, "owner_pid")};
  j.lease_expires_ms = r.opt_int64(i, "lease_expires_ms");
  j.worker = r.text(i, "worker");
  j.device = r.text(i, "device");
  j.progress_done = r.int32(i, "progress_done");
  j.progress_total = r.int32(i, "progress_total");
  j.cancel_requested = r.boolean(i, "cancel_requested");
  j.held = r.boolean(i, "held");
  j.not_before_ms = r.opt_int64(i, "not_before_ms");
  std::optional<std::map<std::string, std::string>> labels = labels_from_json_text(r.text(i, "labels"));
  if (!labels) return fail(Errc::SpoolCorrupt, id_text(j.id) + " has unreadable labels");
  j.labels = std::move(*labels);
  j.submitter_uid = r.opt_int64(i, "submitter_uid");
  return j;
}

JobRow read_row(const PgRows& r, int i, JobId id) {
  return JobRow{.state = state_of(r.text(i, "state"), id),
                .attempts = r.int32(i, "attempts"),
                .max_attempts = r.int32(i, "max_attempts"),
                .cancel_requested = r.boolean(i, "cancel_requested"),
                .error_code = r.text(i, "error_code")};
}

// The row of a job, locked until the transaction ends; nullopt when absent.
std::optional<JobRow> job_row(PgConn& c, JobId id) {
  PgRows r = c.query("pg/job_row.sql", {pg(id.value)});
  if (r.size() == 0) return std::nullopt;
  return read_row(r, 0, id);
}

Result<Job> get_job(PgConn& c, JobId id) {
  PgRows r = c.query("pg/get_job.sql", {pg(id.value)});
  if (r.size() == 0) return fail(Errc::JobNotFound, "no " + id_text(id));
  return read_job(r, 0);
}

std::vector<DependencyState> blocking_deps(PgConn& c, JobId id) {
  PgRows r = c.query("pg/unfinished_deps.sql", {pg(id.value)});
  std::vector<DependencyState> out;
  for (int i = 0; i < r.size(); ++i) {
    const JobId dep{r.int64(i, "id")};
    out.push_back(DependencyState{.id = dep, .state = state_of(r.text(i, "state"), dep)});
  }
  return out;
}

void fail_dependents(PgConn& c, JobId id, JobState why, std::int64_t now) {
  const std::optional<Transition> t = on_dependency_failed(JobRow{.state = JobState::Queued}, id, why);
  c.query("pg/fail_dependents.sql",
          {pg(id.value), pg(now), t->error_code, t->error_message});
}

// A lease holder whose hold the UPDATE must still see (finish).
struct Holder {
  const Owner& owner;
  int attempt;
};

// Writes transition `t` of job `id`, which is in state `from` (and, with a
// holder, still held by it), and its dependents' failure. Returns false when
// the row no longer matched: nothing was written.
bool apply(PgConn& c, JobId id, JobState from, const Transition& t, std::int64_t now,
           std::optional<Holder> holder = std::nullopt) {
  PgRows r = c.query("pg/apply_transition.sql",
                     {pg(id.value), pg(std::string(state_name(from))), pg(std::string(state_name(t.to))),
                      pg(t.attempts), pg(t.finished()), pg(now), pg(t.cancel_requested), pg(t.fresh_record),
                      t.error_code, pg(t.drop_lease), t.error_message,
                      holder ? pg(holder->owner.host) : PgParam(), holder ? pg(holder->owner.boot_id) : PgParam(),
                      holder ? pg(holder->owner.pid) : PgParam(), holder ? pg(holder->attempt) : PgParam()});
  if (r.size() != 1) return false;
  if (t.fail_dependents) fail_dependents(c, id, t.to, now);
  return true;
}

void wake(PgConn& c) { c.query("pg/wake.sql"); }

// Inside a transaction: its commit waits for the WAL flush.
void durable(PgConn& c) { c.exec("SET LOCAL synchronous_commit = on"); }

}  // namespace

template <typename F>
auto PgStore::guarded(std::string_view what, F&& body) -> decltype(body()) {
  try {
    conn_->ensure_connected();
    return body();
  } catch (const PgError& e) {
    return std::unexpected(Error{e.error.code, std::string(what) + ": " + e.error.detail});
  } catch (const std::exception& e) {
    return std::unexpected(Error{Errc::Internal, std::string(what) + ": " + e.what()});
  }
}

PgStore::PgStore(std::unique_ptr<PgConn> conn, Clock clock)
    : conn_(std::move(conn)), clock_(clock ? std::move(clock) : Clock([] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
      })) {}

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& conninfo, Clock clock) {
  Result<std::unique_ptr<PgConn>> conn = PgConn::connect(conninfo);
  if (!conn) return std::unexpected(conn.error());
  try {
    pg_migrate(**conn);
    // Claim, renew, progress and finish commit without waiting for the WAL
    // flush, like SQLite's synchronous=NORMAL: a server crash can lose the
    // last ones, which only sends those jobs back through requeue. What a
    // user was told (submit's id, cancel, retry, purge, pause) waits for
    // the flush: those transactions say `durable(...)`.
    (*conn)->session("SET synchronous_commit = off");
    if (!clock) {
      // The server's clock, read once: the offset from ours, taken at the
      // middle of the round trip.
      const auto local = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
      };
      const std::int64_t before = local();
      const std::int64_t server =
          (*conn)->exec("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms").int64(0, "ms");
      const std::int64_t offset = server - (before + local()) / 2;
      clock = [local, offset] { return local() + offset; };
    }
  } catch (const PgError& e) {
    return std::unexpected(e.error);
  }
  return std::unique_ptr<PgStore>(new PgStore(std::move(*conn), std::move(clock)));
}

namespace {

struct Inserted {
  JobId id;
  bool queued = false;  // false: stored finished (a dependency already failed)
};

// Inserts one job inside the caller's transaction.
Result<Inserted> insert_new_job(PgConn& conn, const NewJob& job, std::int64_t now_ms) {
  std::vector<DependencyState> deps;
  for (JobId dep : job.after) {
    PgRows r = conn.query("pg/dep_state.sql", {pg(dep.value)});
    if (r.size() == 0) return fail(Errc::JobNotFound, "dependency " + id_text(dep) + " does not exist");
    deps.push_back(DependencyState{.id = dep, .state = state_of(r.text(0, "state"), dep)});
  }
  const Transition initial = on_submit(deps);
  PgRows inserted = conn.query(
      "pg/insert_job.sql",
      // A command job keeps a default RenderSpec in `spec`, as on SQLite.
      {pg(std::string(state_name(initial.to))), pg(job.name), pg(to_json(job.exec ? RenderSpec{} : job.spec).dump()),
       pg(job.priority), pg(now_ms), initial.finished() ? pg(now_ms) : PgParam(), pg(job.max_attempts),
       job.timeout_ms ? pg(*job.timeout_ms) : PgParam(), pg(initial.error_code.value_or("")),
       pg(initial.error_message.value_or("")), pg(std::string(job.exec ? "exec" : "render")),
       job.exec ? pg(to_json(*job.exec).dump()) : PgParam(), pg(job.held),
       job.not_before_ms ? pg(*job.not_before_ms) : PgParam(), pg(labels_to_json_text(job.labels)),
       pg(job.submitter_uid.value_or(static_cast<std::int64_t>(::getuid())))});
  const JobId id{inserted.int64(0, "id")};
  for (JobId dep : job.after) conn.query("pg/insert_dep.sql", {pg(id.value), pg(dep.value)});
  if (job.place_files && !job.exec) {
    RenderSpec placed = job.spec;
    if (Result<void> r = job.place_files(id, placed); !r) return std::unexpected(r.error());
    if (Result<void> ok = validate_values(placed); !ok) return std::unexpected(ok.error());
    if (!(placed == job.spec)) conn.query("pg/update_spec.sql", {pg(id.value), pg(to_json(placed).dump())});
  }
  return Inserted{.id = id, .queued = initial.to == JobState::Queued};
}

}  // namespace

Result<JobId> PgStore::submit(const NewJob& job) {
  Result<std::vector<JobId>> ids = submit_batch(std::span<const NewJob>(&job, 1));
  if (!ids) return std::unexpected(ids.error());
  return ids->front();
}

Result<std::vector<JobId>> PgStore::submit_batch(std::span<const NewJob> jobs, std::size_t* failed) {
  if (Result<void> ok = check_new_jobs(jobs, failed); !ok) return std::unexpected(ok.error());
  return guarded("submit", [&]() -> Result<std::vector<JobId>> {
    PgTxn txn(*conn_);
    durable(*conn_);
    const std::int64_t now_ms = now();
    std::vector<JobId> ids;
    ids.reserve(jobs.size());
    bool any_queued = false;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      Result<Inserted> in = insert_new_job(*conn_, jobs[i], now_ms);
      if (!in) {
        if (failed) *failed = i;
        return std::unexpected(in.error());
      }
      ids.push_back(in->id);
      any_queued = any_queued || in->queued;
    }
    if (any_queued) wake(*conn_);
    txn.commit();
    return ids;
  });
}

Result<Job> PgStore::get(JobId id) {
  return guarded("status", [&] { return get_job(*conn_, id); });
}

Result<std::vector<Job>> PgStore::list(const ListQuery& lq) {
  return guarded("list", [&]() -> Result<std::vector<Job>> {
    const PgParam limit = lq.limit > 0 ? pg(lq.limit) : PgParam();
    const std::int64_t before = lq.before ? lq.before->value : std::numeric_limits<std::int64_t>::max();
    const std::string name_re = glob_to_regex(lq.name_glob);
    const std::string label_key = lq.label ? lq.label->first : std::string();
    const std::string label_value = lq.label ? lq.label->second : std::string();
    PgParam users;  // an array literal "{1000,1001}", NULL = all
    if (!lq.submitters.empty()) {
      std::string a;
      for (std::int64_t uid : lq.submitters) a += (a.empty() ? "{" : ",") + std::to_string(uid);
      users = a + "}";
    }
    std::vector<JobState> states = lq.states;
    std::sort(states.begin(), states.end());
    states.erase(std::unique(states.begin(), states.end()), states.end());
    std::vector<Job> out;
    auto take = [&](const PgRows& r) -> Result<void> {
      for (int i = 0; i < r.size(); ++i) {
        Result<Job> j = read_job(r, i);
        if (!j) return std::unexpected(j.error());
        out.push_back(std::move(*j));
      }
      return {};
    };
    if (states.empty()) {
      if (Result<void> r = take(conn_->query("pg/list_all.sql",
                                             {pg(before), limit, pg(name_re), pg(label_key), pg(label_value), users}));
          !r)
        return std::unexpected(r.error());
      return out;
    }
    // One bounded index walk per state, merged, as on SQLite.
    for (JobState s : states)
      if (Result<void> r = take(conn_->query("pg/list_state.sql", {pg(std::string(state_name(s))), pg(before), limit, pg(name_re),
                                                   pg(label_key), pg(label_value), users}));
          !r)
        return std::unexpected(r.error());
    std::sort(out.begin(), out.end(), [](const Job& a, const Job& b) { return a.id > b.id; });
    if (lq.limit > 0 && out.size() > static_cast<std::size_t>(lq.limit)) out.resize(static_cast<std::size_t>(lq.limit));
    return out;
  });
}

Result<QueueCounts> PgStore::counts() {
  return guarded("count jobs", [&]() -> Result<QueueCounts> {
    QueueCounts c;
    PgRows r = conn_->query("pg/counts.sql");
    std::int64_t deltas = 0;
    for (int i = 0; i < r.size(); ++i) deltas += r.int64(i, "deltas");
    // Each claim and finish adds rows; whoever reads the counts keeps the
    // table short.
    if (deltas > 1'000) conn_->query("pg/compact_counts.sql");
    for (int i = 0; i < r.size(); ++i) {
      c.of(state_of(r.text(i, "state"), JobId{})) = r.int64(i, "n");
    }
    return c;
  });
}

Result<std::optional<Job>> PgStore::claim(const ClaimRequest& req) {
  if (req.lease_ms <= 0) return fail(Errc::InvalidArgument, "lease must be positive");
  return guarded("claim", [&]() -> Result<std::optional<Job>> {
    const std::int64_t now_ms = req.now_ms != 0 ? req.now_ms : now();
    PgRows r = conn_->query("pg/claim.sql", {pg(now_ms), pg(req.lease_ms), pg(req.owner.host),
                                             pg(req.owner.boot_id), pg(req.owner.pid), pg(req.worker),
                                             pg(req.device)});
    if (r.size() == 0) return std::optional<Job>();
    Result<Job> job = read_job(r, 0);
    if (!job) return std::unexpected(job.error());
    return std::optional<Job>(std::move(*job));
  });
}

Result<bool> PgStore::renew(JobId id, const Owner& owner, std::int64_t lease_ms) {
  if (lease_ms <= 0) return fail(Errc::InvalidArgument, "lease must be positive");
  return guarded("renew lease", [&]() -> Result<bool> {
    PgRows r = conn_->query("pg/renew.sql", {pg(id.value), pg(now()), pg(lease_ms), pg(owner.host),
                                             pg(owner.boot_id), pg(owner.pid)});
    if (r.size() == 1) return r.boolean(0, "cancel_requested");
    if (conn_->query("pg/exists.sql", {pg(id.value)}).size() == 0) return fail(Errc::JobNotFound, "no " + id_text(id));
    return fail(Errc::LeaseLost, id_text(id) + " is no longer held by this worker");
  });
}

Result<void> PgStore::set_progress(JobId id, const Owner& owner, int done, int total) {
  if (done < 0 || total < 0) return fail(Errc::InvalidArgument, "progress must not be negative");
  return guarded("report progress", [&]() -> Result<void> {
    PgRows r = conn_->query("pg/set_progress.sql", {pg(id.value), pg(done), pg(total), pg(owner.host),
                                                    pg(owner.boot_id), pg(owner.pid)});
    if (r.size() != 1) return fail(Errc::LeaseLost, id_text(id) + " is no longer held by this worker");
    return {};
  });
}

Result<void> PgStore::set_worker(JobId id, const Owner& owner, const std::string& worker) {
  return guarded("record the worker", [&]() -> Result<void> {
    PgRows r = conn_->query("pg/set_worker.sql",
                            {pg(id.value), pg(worker), pg(owner.host), pg(owner.boot_id), pg(owner.pid)});
    if (r.size() != 1) return fail(Errc::LeaseLost, id_text(id) + " is no longer held by this worker");
    return {};
  });
}

Result<JobState> PgStore::finish(JobId id, const Owner& owner, const Outcome& outcome) {
  return guarded("finish", [&]() -> Result<JobState> {
    PgTxn txn(*conn_);
    PgRows r = conn_->query("pg/owned_job.sql", {pg(id.value), pg(owner.host), pg(owner.boot_id), pg(owner.pid)});
    const auto lost = [&]() -> Result<JobState> {
      if (conn_->query("pg/exists.sql", {pg(id.value)}).size() == 0) return fail(Errc::JobNotFound, "no " + id_text(id));
      return fail(Errc::LeaseLost, id_text(id) + " is no longer held by this worker");
    };
    if (r.size() == 0) return lost();
    const JobRow row = read_row(r, 0, id);
    // Another attempt of ours (requeued and claimed again): not this one's.
    if (outcome.attempt && row.attempts != *outcome.attempt) return lost();
    Result<Transition> t = on_finish(row, outcome);
    // The row stays locked (FOR UPDATE) until the commit: no requeue, claim
    // or finish of another attempt can come between the publish and the
    // UPDATE (requeue_expired skips locked rows).
    if (t && outcome.publish && publishes(*t))
      if (Result<void> p = outcome.publish(); !p && t->to == JobState::Succeeded) t = on_publish_failed(row, p.error());
    if (!t) return fail(t.error().code, id_text(id) + " " + t.error().detail);
    // The hold is checked again in the UPDATE itself: a holder that lost its
    // lease, or finishes an older attempt, writes nothing.
    const Holder holder{.owner = owner, .attempt = outcome.attempt.value_or(row.attempts)};
    if (!apply(*conn_, id, row.state, *t, now(), holder)) return lost();
    if (outcome.progress)
      conn_->query("pg/finish_progress.sql", {pg(id.value), pg((*outcome.progress)[0]), pg((*outcome.progress)[1])});
    txn.commit();
    return t->to;
  });
}

Result<CancelResult> PgStore::cancel(JobId id) {
  return guarded("cancel", [&]() -> Result<CancelResult> {
    PgTxn txn(*conn_);
    durable(*conn_);
    const std::optional<JobRow> row = job_row(*conn_, id);
    if (!row) return fail(Errc::JobNotFound, "no " + id_text(id));
    const CancelTransition c = on_cancel(*row);
    if (c.transition) {
      if (!apply(*conn_, id, row->state, *c.transition, now()))
        return fail(Errc::Internal, id_text(id) + " changed state while locked");
      wake(*conn_);
    }
    txn.commit();
    return c.result;
  });
}

Result<void> PgStore::edit(JobId id, const JobEdit& e) {
  return guarded("edit", [&]() -> Result<void> {
    PgTxn txn(*conn_);
    durable(*conn_);
    const std::optional<JobRow> row = job_row(*conn_, id);
    if (!row) return fail(Errc::JobNotFound, "no " + id_text(id));
    if (Result<void> ok = on_edit(*row); !ok) return fail(ok.error().code, id_text(id) + " " + ok.error().detail);
    const bool set_nb = e.not_before_ms.has_value();
    conn_->query("pg/edit_job.sql", {pg(id.value), e.held ? pg(*e.held) : PgParam(),
                                     e.priority ? pg(*e.priority) : PgParam(), pg(set_nb),
                                     set_nb && *e.not_before_ms ? pg(**e.not_before_ms) : PgParam()});
    // A release, a new priority or an earlier start can make it claimable.
    if (!(e.held && *e.held)) wake(*conn_);
    txn.commit();
    return {};
  });
}

Result<void> PgStore::retry(JobId id) {
  return guarded("retry", [&]() -> Result<void> {
    PgTxn txn(*conn_);
    durable(*conn_);
    const std::optional<JobRow> row = job_row(*conn_, id);
    if (!row) return fail(Errc::JobNotFound, "no " + id_text(id));
    Result<Transition> t = on_retry(*row, is_finished(row->state) ? blocking_deps(*conn_, id)
                                                                   : std::vector<DependencyState>());
    if (!t) return fail(t.error().code, id_text(id) + " " + t.error().detail);
    const std::int64_t now_ms = now();
    if (!apply(*conn_, id, row->state, *t, now_ms))
      return fail(Errc::Internal, id_text(id) + " changed state while locked");
    std::vector<JobId> work{id};
    while (!work.empty()) {
      const JobId parent = work.back();
      work.pop_back();
      PgRows r = conn_->query("pg/failed_dependents.sql", {pg(parent.value)});
      for (int i = 0; i < r.size(); ++i) {
        const JobId d{r.int64(i, "id")};
        const JobRow drow = read_row(r, i, d);
        const std::optional<Transition> back = on_dependency_retried(drow, blocking_deps(*conn_, d));
        if (back && apply(*conn_, d, drow.state, *back, now_ms)) work.push_back(d);
      }
    }
    wake(*conn_);
    txn.commit();
    return {};
  });
}

Result<std::vector<JobId>> PgStore::requeue_expired(std::int64_t now_ms,
                                                    const std::function<bool(const Owner&)>& owner_alive) {
  return guarded("requeue expired jobs", [&]() -> Result<std::vector<JobId>> {
    const auto owner_of = [](const PgRows& r, int i) {
      return Owner{.host = r.text(i, "owner_host"), .boot_id = r.text(i, "owner_boot_id"),
                   .pid = r.int64(i, "owner_pid")};
    };
    const auto lost = [&](const PgRows& r, int i, bool* expired) {
      *expired = r.int64(i, "lease_expires_ms") < now_ms;
      return *expired || (owner_alive && !owner_alive(owner_of(r, i)));
    };
    bool expired = false, any = false;
    {
      // A first look without locks: usually nothing is lost.
      PgRows peek = conn_->query("pg/running_peek.sql");
      for (int i = 0; i < peek.size() && !any; ++i) any = lost(peek, i, &expired);
    }
    if (!any) return std::vector<JobId>();
    PgTxn txn(*conn_);
    durable(*conn_);
    PgRows r = conn_->query("pg/running_jobs.sql");
    std::vector<JobId> touched;
    for (int i = 0; i < r.size(); ++i) {
      const JobId id{r.int64(i, "id")};
      const Owner owner = owner_of(r, i);
      if (!lost(r, i, &expired)) continue;
      const JobRow row{.state = JobState::Running,
                       .attempts = r.int32(i, "attempts"),
                       .max_attempts = r.int32(i, "max_attempts"),
                       .cancel_requested = r.boolean(i, "cancel_requested"),
                       .error_code = r.text(i, "error_code")};
      Result<Transition> t = on_lease_lost(row, expired ? LeaseLoss::Expired : LeaseLoss::OwnerDied,
                                           owner.host + ":" + std::to_string(owner.pid));
      if (!t) return fail(t.error().code, id_text(id) + " " + t.error().detail);
      if (apply(*conn_, id, row.state, *t, now_ms)) touched.push_back(id);
    }
    if (!touched.empty()) wake(*conn_);
    txn.commit();
    return touched;
  });
}

Result<std::vector<JobId>> PgStore::purge(std::int64_t cutoff_ms) {
  return guarded("purge", [&]() -> Result<std::vector<JobId>> {
    PgTxn txn(*conn_);
    durable(*conn_);
    PgRows r = conn_->query("pg/purge.sql", {pg(cutoff_ms)});
    std::vector<JobId> ids;
    for (int i = 0; i < r.size(); ++i) ids.push_back(JobId{r.int64(i, "id")});
    txn.commit();
    return ids;
  });
}

Result<bool> PgStore::paused() {
  return guarded("read the pause flag", [&]() -> Result<bool> {
    PgRows r = conn_->query("pg/get_paused.sql");
    return r.size() == 1 && r.boolean(0, "paused");
  });
}

Result<void> PgStore::set_paused(bool paused) {
  return guarded(paused ? "pause" : "resume", [&]() -> Result<void> {
    PgTxn txn(*conn_);
    durable(*conn_);
    conn_->query("pg/set_paused.sql", {pg(paused)});
    if (!paused) wake(*conn_);
    txn.commit();
    return {};
  });
}

Result<std::string> PgStore::queue_id() {
  return guarded("read the queue's id", [&]() -> Result<std::string> {
    PgRows r = conn_->query("pg/queue_id.sql");
    if (r.size() != 1) return fail(Errc::SpoolCorrupt, "the queue's settings row is missing");
    return r.text(0, "queue_id");
  });
}

Result<std::int64_t> PgStore::last_issued_id() {
  return guarded("read the last job id", [&]() -> Result<std::int64_t> {
    PgRows r = conn_->query("pg/last_issued_id.sql");
    return r.size() == 1 ? r.int64(0, "last_id") : 0;
  });
}

Result<std::vector<JobId>> PgStore::existing(std::span<const JobId> ids) {
  if (ids.empty()) return std::vector<JobId>{};
  return guarded("look up jobs", [&]() -> Result<std::vector<JobId>> {
    std::string a;  // an array literal "{1,2}"
    for (JobId id : ids) a += (a.empty() ? "{" : ",") + std::to_string(id.value);
    PgRows r = conn_->query("pg/existing_ids.sql", {pg(a + "}")});
    std::vector<JobId> out;
    out.reserve(r.size());
    for (int i = 0; i < r.size(); ++i) out.push_back(JobId{r.int64(i, "id")});
    return out;
  });
}

Result<std::int64_t> PgStore::change_marker() {
  return guarded("check for changes", [&]() -> Result<std::int64_t> {
    // Counts renderq_changes notifications (sql/pg/0001_init.sql's
    // triggers), delivered after each commit that changed a job, ours
    // included. The first call starts listening.
    conn_->listen("renderq_changes");
    // A round trip first: the server hands this connection the
    // notifications of commits that finished before it, so a change
    // another connection just committed is seen now, not a moment later.
    conn_->exec("SELECT 1");
    return conn_->notifications("renderq_changes");
  });
}

Result<void> PgStore::record_daemon(const DaemonRecord& d) {
  if (Result<void> ok = check_daemon_record(d); !ok) return ok;
  return guarded("record the daemon", [&]() -> Result<void> {
    pg_record_daemon(*conn_, d, now());
    return {};
  });
}

Result<void> PgStore::remove_daemon(const Owner& owner) {
  return guarded("remove the daemon's record", [&]() -> Result<void> {
    pg_remove_daemon(*conn_, owner);
    return {};
  });
}

Result<DaemonRoster> PgStore::daemons() {
  return guarded("read the daemons", [&] { return pg_daemons(*conn_, now()); });
}

Result<int> PgStore::forget_daemons(std::int64_t forget_ms) {
  return guarded("forget stale daemons", [&]() -> Result<int> { return pg_forget_daemons(*conn_, forget_ms, now()); });
}

}  // namespace renderq
