// The shared spool's group, held by a set-group-id renderq: the submit
// helper of a spool several users share (the model of at(1) and crontab(1)).
// The system spool (/var/spool/renderq, mode 2770, user and group renderq)
// is closed to everyone but its daemon; the thin renderq is installed
// set-group-id renderq and is the only way in for other users. Because it
// alone writes the queue, the submitter it records (the real uid) cannot be
// forged, and the daemon runs each job as that user (daemon/run_as.hpp).
//
// The group is held only where it is needed: main() drops it before
// anything else (lower_at_start), and it is raised again only when the
// queue being opened is a folder of that group (raise_for). Commands read
// the user's own files (a scene to probe, a batch file) before they open
// the queue, so those reads happen with the user's own rights; after it,
// a queue command touches only the spool. Anything exec'd (renderq-full)
// gets the group dropped for good first.
//
// Thread-safety: call from the main thread before starting others.
#pragma once

#include <filesystem>
#include <optional>
#include <sys/types.h>

namespace renderq::spool_group {

// First thing in main: when running set-group-id (effective gid differs
// from the real one), remember that group and act as the caller.
void lower_at_start();

// The queue at `dir` is about to be opened: when `dir` (an existing
// folder) belongs to the remembered group, take the group back for the
// rest of the command and return true.
bool raise_for(const std::filesystem::path& dir);

// True once raise_for took the group: the caller is a user acting through
// the helper (the daemon's rules for who may change what apply).
bool raised();

// Before exec of another program: the group is given up for good.
void drop_for_good();

}  // namespace renderq::spool_group
