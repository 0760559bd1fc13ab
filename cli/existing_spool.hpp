// Opening the spool for the commands that read or change existing jobs
// (status, list, wait, cancel, retry, purge). They never create a spool: a
// typo in --spool must not leave a new empty queue behind. A spool that does
// not exist yet holds no jobs, which is how these commands treat it.
//
// Thread-safety: used from main's thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/context.hpp"

namespace renderq {

// The spool, or nullopt when there is none yet (no folder or no queue.db).
// Any other problem (corrupt, too new, network fs) is an error.
Result<std::optional<Spool>> open_existing_spool(const Context& ctx);

// Prints an error from a store call and returns its exit code, like
// report(); an error about the database itself (corrupt, too new) is
// prefixed with the database's path, so the user knows which file is meant.
int report_store_error(const Spool& spool, const Error& error);

// The error for a job looked up in a spool that does not exist.
Error no_such_job(std::int64_t id, const Context& ctx);

}  // namespace renderq
