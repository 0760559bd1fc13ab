// Job logs in a PostgreSQL queue: the job_log table (sql/pg/0002), appended
// in chunks by the daemon that runs the job, read from any host by
// `renderq logs` and `serve`. A chunk is stored at the byte offset where it
// starts, so a reader resumes at the offset it reached, and two writers of
// the same bytes (a host that lost its lease and the host that took the job
// over) cannot interleave silently: the second insert at an offset fails.
//
// Thread-safety: the connection's (one per thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/error.hpp"
#include "spool/job.hpp"
#include "spool/pg_conn.hpp"

namespace renderq {

// Appends `bytes` to job `id`'s log at byte offset `start` (the end of the
// log as this writer knows it). Errc::JobStateConflict when that offset is
// taken already, Errc::JobNotFound when the job is gone (purged), Errc::Io
// when the connection broke.
Result<void> pg_append_log(PgConn& conn, JobId id, std::int64_t start, std::string_view bytes);

// Hands job `id`'s log from byte `offset` on to `out`, and returns the offset
// after the last byte (`offset` when nothing is newer). Errc::Io.
Result<std::int64_t> pg_read_log(PgConn& conn, JobId id, std::int64_t offset,
                                 const std::function<void(std::string_view)>& out);

// The length of job `id`'s log so far (where the next append goes).
Result<std::int64_t> pg_log_end(PgConn& conn, JobId id);

}  // namespace renderq
