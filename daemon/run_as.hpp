// RunAs: the user a job acts for, as the daemon switches to it. A job
// records its submitter's uid (spool/job.hpp); on a shared spool the daemon
// runs as its own user with CAP_SETUID and CAP_SETGID, and each job's
// process (its render worker, or its command) takes the submitter's uid,
// gid and groups before exec, so the job opens only what its submitter
// could (the model of atd and cron). A job of the daemon's own user needs
// no switch; a daemon that may not switch fails other users' jobs with
// permission_denied rather than run them with its own rights.
//
// Thread-safety: resolve on the supervisor's thread; become() in a forked
// child (async-signal-safe).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "core/error.hpp"
#include "spool/job.hpp"

namespace renderq {

struct RunAs {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // the user's groups, plus the daemon's GPU groups (render, video)
  std::string name;
  std::string home;
  bool operator==(const RunAs& o) const { return uid == o.uid && gid == o.gid && groups == o.groups; }
};

// Whether jobs run as their submitters at all: yes on a spool folder (one
// host, whose uids the submitters had); no on PostgreSQL, whose submitters
// may sit on other hosts where a uid names someone else: there the database
// role is the boundary and jobs run as the daemon's user. Set once, before
// the supervisor starts; on by default.
void act_for_submitters(bool on);

// Who `job` runs as: nullopt when it acts for the daemon's own user (or
// records nobody, or act_for_submitters is off). Errc::PermissionDenied
// when its uid has no account here.
Result<std::optional<RunAs>> run_as_for(const Job& job);

// In a forked child before exec: the groups, gid and uid of `who`, and no
// capabilities left to pass on. 0, or the errno of the step that failed,
// whose name goes to *step.
int become(const RunAs& who, const char** step) noexcept;

// Runs `fn` as `who`: in a forked child that has become them, whose int
// comes back through a pipe (the parent's memory is not changed by it);
// without `who`, in this process. For the daemon's own file work in a
// user's folders (publishing staged outputs, removing leftovers), which its
// user may not do there. nullopt when the child could not be started or
// could not become `who`.
std::optional<int> as_user(const std::optional<RunAs>& who, const std::function<int()>& fn);

// Sends `sig` to `pid` (a negative one: a process group) as `who` does:
// the daemon's user may not signal another user's processes, the user may.
void signal_as(const std::optional<RunAs>& who, pid_t pid, int sig);

// The job's error when become() failed with `err` at `step`.
Error run_as_error(const RunAs& who, const char* step, int err);

// The environment for a process running as `who`: `base` with HOME, USER
// and LOGNAME set to theirs, and XDG_CACHE_HOME (the daemon's cache) removed.
std::vector<std::string> environment_for(const RunAs& who, char** base);

}  // namespace renderq
