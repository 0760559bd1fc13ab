// The exit codes of every renderq command: few, stable, documented in the
// EXIT STATUS section of renderq(1). Never renumber one.
#pragma once

#include "core/error.hpp"

namespace renderq {

enum class Exit : int {
  Ok = 0,           // success; for wait: every job succeeded
  Failure = 1,      // a runtime error not covered below (I/O, render failed, ...)
  Usage = 2,        // bad command line or invalid input
  NotFound = 3,     // a job id that does not exist
  JobFailed = 4,    // wait: at least one job failed
  JobCanceled = 5,  // wait: at least one job was canceled (and none failed)
  TimedOut = 6,     // wait --timeout elapsed first
  Spool = 7,        // the spool cannot be used: corrupt, too new, network fs, locked
  Conflict = 8,     // the job's state does not allow the action (retry a running job)
};

// The exit code a command returns for an error it could not handle.
Exit exit_for(const Error& error) noexcept;

inline int code(Exit e) noexcept { return static_cast<int>(e); }

}  // namespace renderq
