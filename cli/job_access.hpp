// Who may act on a job, as the queue commands enforce it: the user it acts
// for (its submitter_uid), root, and the owner of the spool folder (the
// daemon's user, the queue's administrator). On a shared spool the thin
// renderq is the only way in (cli/spool_group.hpp), so these checks hold;
// on a private spool there is only one user and they always pass. On
// PostgreSQL the database's roles decide, and these checks pass.
#pragma once

#include <string_view>

#include "core/error.hpp"
#include "spool/job.hpp"
#include "spool/queue.hpp"

namespace renderq {

// Errc::PermissionDenied naming the job, its user and the action, unless
// the caller (the real uid) may `action` ("cancel", "read the log of") it.
Result<void> check_may_act_on(Queue& queue, const Job& job, std::string_view action);

// Loads job `id` and checks as above; the store's error (job_not_found)
// when it cannot be loaded.
Result<void> check_may_act_on(Queue& queue, JobId id, std::string_view action);

// Errc::PermissionDenied unless the caller may `action` ("pause", "purge")
// the whole queue: root or the spool's owner; anyone on a queue not opened
// through the set-group-id helper (they can write it directly anyway).
Result<void> check_may_manage(Queue& queue, std::string_view action);

}  // namespace renderq
