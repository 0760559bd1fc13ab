#include "cli/job_access.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "cli/spool_group.hpp"
#include "core/user_db.hpp"
#include "spool/spool.hpp"

namespace renderq {

namespace {

// The spool folder's owner; nullopt for a queue without one (PostgreSQL).
std::optional<uid_t> queue_owner(Queue& queue) {
  const Spool* spool = queue.spool();
  struct stat st {};
  if (spool == nullptr || ::stat(spool->dir().c_str(), &st) != 0) return std::nullopt;
  return st.st_uid;
}

bool is_admin(Queue& queue, uid_t caller) {
  if (caller == 0) return true;
  const std::optional<uid_t> owner = queue_owner(queue);
  return owner && *owner == caller;
}

}  // namespace

Result<void> check_may_act_on(Queue& queue, const Job& job, std::string_view action) {
  // PostgreSQL: submitters may sit on other hosts, where a uid names someone
  // else; the database's roles and grants decide who may do what.
  if (queue.spool() == nullptr) return {};
  const uid_t caller = ::getuid();
  if (is_admin(queue, caller)) return {};
  // A job from before submitters were recorded is the spool owner's.
  const std::optional<uid_t> owner = queue_owner(queue);
  const std::optional<std::int64_t> user =
      job.submitter_uid ? job.submitter_uid : (owner ? std::optional<std::int64_t>(*owner) : std::nullopt);
  if (!user || *user == static_cast<std::int64_t>(caller)) return {};
  return fail(Errc::PermissionDenied, "permission denied: job " + std::to_string(job.id.value) + " belongs to " +
                                          user_label(*user) + "; you cannot " + std::string(action) + " it");
}

Result<void> check_may_act_on(Queue& queue, JobId id, std::string_view action) {
  Result<Job> job = queue.store().get(id);
  if (!job) return std::unexpected(job.error());
  return check_may_act_on(queue, *job, action);
}

Result<void> check_may_manage(Queue& queue, std::string_view action) {
  if (!spool_group::raised() || is_admin(queue, ::getuid())) return {};
  return fail(Errc::PermissionDenied, "permission denied: only root or the owner of the shared spool " +
                                          queue.where() + " may " + std::string(action) + " it");
}

}  // namespace renderq
