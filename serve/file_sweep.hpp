// Leftovers in the server's file area (serve/file_area.hpp): staged uploads
// of a server that died mid-request, and on a PostgreSQL queue the job
// folders of purged jobs. A spool's `renderq purge` removes a job's folder
// with its row (Queue::forget_job); a PostgreSQL queue's purge, run on any
// host, does not know the shared folder, so the server that made the
// folders removes them once their jobs are gone.
//
// Both leave young files alone: a young upload may be another server's in
// flight, and a young job folder may belong to a submit whose transaction
// has not committed yet (its row cannot be seen).
//
// Thread-safety: any thread; the queue is the caller's.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>

#include "spool/queue.hpp"

namespace renderq::serve {

// Staged uploads (<files>/uploads/upload-*) older than `min_age`; returns
// how many were removed.
std::size_t sweep_stale_uploads(const std::filesystem::path& files_dir, std::chrono::seconds min_age);

// <files>/jobs/<id> folders older than `min_age` whose job the queue no
// longer has; returns how many were removed. Asks the store about up to
// kSweepBatch folders per query. Stops at the first store error (the
// database is away: nothing more is removed on a guess).
inline constexpr std::size_t kSweepBatch = 1000;
std::size_t sweep_purged_job_dirs(Queue& queue, const std::filesystem::path& files_dir, std::chrono::seconds min_age);

}  // namespace renderq::serve
