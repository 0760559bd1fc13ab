// Job logs in a PostgreSQL queue: the job_log table (sql/pg/0002). The
// daemon that runs a job writes its log to a file on its host and copies
// what the file gained into the table; each chunk is keyed by its source
// (that file: host name and a token made with the file) and its offset in
// the file, so a copy repeated after a crash changes nothing, and a copier
// asks the table where its file's copy ends. `renderq logs` reads the
// chunks from any host, in the order they were stored.
//
// Thread-safety: the connection's (one per thread).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "spool/job.hpp"
#include "spool/pg_conn.hpp"

namespace renderq {

// Stores `bytes`, found at `offset` of log file `source`, as part of job
// `id`'s log; a range stored before is left as it is. Errc::JobNotFound
// when the job is gone (purged), Errc::Io when the connection broke.
Result<void> pg_append_log(PgConn& conn, JobId id, const std::string& source, std::int64_t offset,
                           std::string_view bytes);

// Where the stored copy of log file `source` of job `id` ends (0: none yet).
Result<std::int64_t> pg_log_source_end(PgConn& conn, JobId id, const std::string& source);

// Hands job `id`'s log from byte `offset` on to `out`, and returns the offset
// after the last byte (`offset` when nothing is newer). Errc::Io.
Result<std::int64_t> pg_read_log(PgConn& conn, JobId id, std::int64_t offset,
                                 const std::function<void(std::string_view)>& out);

}  // namespace renderq
