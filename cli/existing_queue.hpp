// Opening the queue for the commands that read or change existing jobs
// (status, list, wait, cancel, retry, purge, logs). They never create a
// spool: a typo in --spool must not leave a new empty queue behind. A spool
// that does not exist yet holds no jobs, which is how these commands treat
// it. A PostgreSQL queue always exists once reachable (its schema is made
// on first use).
//
// Thread-safety: used from main's thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cli/context.hpp"

namespace renderq {

// The queue, or null when it is a spool folder that does not exist yet (no
// folder or no queue.db). Any other problem (corrupt, too new, network fs,
// server unreachable) is an error.
Result<std::unique_ptr<Queue>> open_existing_queue(const Context& ctx);

// Prints an error from a store call and returns its exit code, like
// report(); an error about the database itself (corrupt, too new) is
// prefixed with where the queue is, so the user knows which one is meant.
int report_store_error(const Queue& queue, const Error& error);

// The error for a job looked up in a spool that does not exist.
Error no_such_job(std::int64_t id, const Context& ctx);

}  // namespace renderq
