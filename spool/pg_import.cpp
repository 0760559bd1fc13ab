#include "spool/pg_import.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "spool/pg_job_log.hpp"

namespace renderq {

namespace {

// A spool job as it is stored in PostgreSQL: a running one goes back to
// the queue without its owner, the attempt it was on not counted.
Job as_imported(Job j, ImportReport& report) {
  if (j.state != JobState::Running) return j;
  ++report.requeued;
  j.state = JobState::Queued;
  j.attempts = std::max(0, j.attempts - 1);
  j.started_ms.reset();
  j.worker.clear();
  j.device.clear();
  j.progress_done = j.progress_total = 0;
  return j;
}

PgParam opt(const std::optional<std::int64_t>& v) { return v ? pg(*v) : PgParam(); }

}  // namespace

Result<ImportReport> import_jobs(Store& from, const LogReader& log_of, PgStore& to) {
  Result<std::vector<Job>> jobs = from.list({});
  if (!jobs) return std::unexpected(jobs.error());
  std::reverse(jobs->begin(), jobs->end());  // oldest first, as they were submitted
  ImportReport report;
  PgConn& c = to.connection();
  try {
    c.ensure_connected();
    PgTxn txn(c);
    c.exec("SET LOCAL synchronous_commit = on");
    c.exec("LOCK TABLE jobs IN EXCLUSIVE MODE");  // no submit slips in between the check and the copy
    if (c.query("pg/any_job.sql").boolean(0, "any"))
      return fail(Errc::JobStateConflict, "the PostgreSQL queue already holds jobs: migrate into an empty one");
    for (const Job& original : *jobs) {
      const Job j = as_imported(original, report);
      const std::string spec = to_json(j.exec ? RenderSpec{} : j.spec).dump();
      c.query("pg/import_job.sql",
              {pg(j.id.value), pg(std::string(state_name(j.state))), pg(j.name), pg(spec), pg(j.priority),
               pg(j.created_ms), opt(j.started_ms), opt(j.finished_ms), pg(j.attempts), pg(j.max_attempts),
               opt(j.timeout_ms), pg(j.error_code), pg(j.error_message), pg(j.worker), pg(j.device),
               pg(j.progress_done), pg(j.progress_total), pg(std::string(j.exec ? "exec" : "render")),
               j.exec ? pg(to_json(*j.exec).dump()) : PgParam(), pg(j.held), opt(j.not_before_ms),
               pg(labels_to_json_text(j.labels)), opt(j.submitter_uid)});
      ++report.jobs;
    }
    for (const Job& j : *jobs)
      for (JobId dep : j.after) c.query("pg/insert_dep.sql", {pg(j.id.value), pg(dep.value)});
    for (const Job& j : *jobs) {
      Result<std::string> log = log_of(j.id);
      if (!log) return std::unexpected(log.error());
      if (log->empty()) continue;
      if (Result<void> r = pg_append_log(c, j.id, "import", 0, *log); !r) return std::unexpected(r.error());
      report.log_bytes += static_cast<std::int64_t>(log->size());
    }
    if (report.jobs > 0) c.query("pg/import_done.sql");
    txn.commit();
  } catch (const PgError& e) {
    return std::unexpected(Error{e.error.code, "migrate: " + e.error.detail});
  }
  return report;
}

}  // namespace renderq
