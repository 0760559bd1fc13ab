// Moving a spool's queue into PostgreSQL (`renderq migrate --to URL`): every
// job with its id, state, times, attempts, error, dependencies and log is
// copied into an empty PostgreSQL queue in one transaction, so the queue
// either moves whole or not at all, and ids that scripts hold keep meaning
// the same jobs. A job that was running comes back queued, the attempt it
// was on not counted (its daemon must be stopped first: the caller checks).
//
// Thread-safety: the stores' (one per thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "spool/pg_store.hpp"

namespace renderq {

struct ImportReport {
  std::int64_t jobs = 0;       // copied
  std::int64_t requeued = 0;   // were running, now queued
  std::int64_t log_bytes = 0;  // of job logs copied
};

// Reads job `id`'s whole log ("" when it has none).
using LogReader = std::function<Result<std::string>(JobId id)>;

// Copies every job of `from` into `to`. Errc::JobStateConflict when `to`
// already holds jobs (nothing is copied); the stores' errors otherwise, with
// nothing copied.
Result<ImportReport> import_jobs(Store& from, const LogReader& log_of, PgStore& to);

}  // namespace renderq
