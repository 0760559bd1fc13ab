// Who a job runs as (daemon/run_as.hpp), without switching anything: the
// daemon's own user's jobs need no switch, another user's do on a spool,
// none do on PostgreSQL, and an uid without an account is refused.
#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>

#include "daemon/run_as.hpp"

using namespace renderq;

namespace {

Job job_of(std::optional<std::int64_t> uid) {
  Job j;
  j.id = JobId{7};
  j.submitter_uid = uid;
  return j;
}

// An uid with an account that is not ours (root's, or nobody's when we are root).
std::optional<uid_t> other_user() {
  const uid_t me = ::geteuid();
  if (me != 0) return 0;
  if (const passwd* pw = ::getpwnam("nobody")) return pw->pw_uid;
  return std::nullopt;
}

}  // namespace

TEST_CASE("a job of the daemon's own user, or of nobody recorded, runs as the daemon", "[daemon][run_as]") {
  act_for_submitters(true);
  CHECK_FALSE(run_as_for(job_of(static_cast<std::int64_t>(::geteuid()))).value().has_value());
  CHECK_FALSE(run_as_for(job_of(std::nullopt)).value().has_value());
}

TEST_CASE("another user's job runs as that user, with their name, home and groups", "[daemon][run_as]") {
  act_for_submitters(true);
  const std::optional<uid_t> other = other_user();
  if (!other) return;  // no second account on this machine
  Result<std::optional<RunAs>> who = run_as_for(job_of(*other));
  REQUIRE(who.has_value());
  REQUIRE(who->has_value());
  const passwd* pw = ::getpwuid(*other);
  REQUIRE(pw != nullptr);
  CHECK((*who)->uid == *other);
  CHECK((*who)->gid == pw->pw_gid);
  CHECK((*who)->name == pw->pw_name);
  CHECK_FALSE((*who)->groups.empty());
}

TEST_CASE("an uid without an account on this host is permission_denied", "[daemon][run_as]") {
  act_for_submitters(true);
  Result<std::optional<RunAs>> who = run_as_for(job_of(2'000'000'123));
  REQUIRE_FALSE(who.has_value());
  CHECK(who.error().code == Errc::PermissionDenied);
}

TEST_CASE("on PostgreSQL (act_for_submitters off) every job runs as the daemon", "[daemon][run_as]") {
  act_for_submitters(false);
  CHECK_FALSE(run_as_for(job_of(2'000'000'123)).value().has_value());
  if (std::optional<uid_t> other = other_user()) CHECK_FALSE(run_as_for(job_of(*other)).value().has_value());
  act_for_submitters(true);
}

TEST_CASE("as_user without a user runs in this process, and a child's answer comes back", "[daemon][run_as]") {
  int calls = 0;
  CHECK(as_user(std::nullopt, [&] { return ++calls + 41; }) == 42);
  CHECK(calls == 1);
  if (::geteuid() != 0) return;  // becoming another user needs root or CAP_SETUID
  const std::optional<uid_t> other = other_user();
  if (!other) return;
  act_for_submitters(true);
  const std::optional<RunAs> who = run_as_for(job_of(*other)).value();
  CHECK(as_user(who, [] { return static_cast<int>(::getuid()); }) == static_cast<int>(*other));
  CHECK(calls == 1);
}
