// serve_pg: a PostgreSQL queue as the daemon serves it (served_queue.hpp).
// Its own library (renderq_daemon_pg) so that only renderq-full links libpq.
//
// Thread-safety: the supervisor's thread only.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "daemon/served_queue.hpp"

namespace renderq {

// Connects (twice: the store, and a LISTEN on renderq_wake) and migrates.
// `local_dir` is this host's folder for job folders (made 0700 when
// missing); job folders a predecessor left there have their logs copied
// and are removed. `host` names this host's log files in the database.
// PgStore::open's errors.
Result<std::unique_ptr<ServedQueue>> serve_pg(const std::string& url, const std::filesystem::path& local_dir,
                                              const std::string& host);

}  // namespace renderq
