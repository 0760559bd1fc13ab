// Store operations outside the claim protocol: submit, get, list, cancel,
// retry, purge, counts, change markers.
#include <catch2/catch.hpp>
#include <unistd.h>

#include "spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

TEST_CASE("submit stores every field and get returns it", "[store]") {
  StoreFixture f;
  NewJob n = job(3);
  n.name = "hero shot";
  n.spec.width = 640;
  n.spec.height = 480;
  n.spec.samples = 8;
  n.spec.background = std::array<std::uint8_t, 3>{1, 2, 3};
  n.max_attempts = 4;
  n.timeout_ms = 60'000;
  const JobId id = f.submit(n);
  const Job j = f.get(id);
  CHECK(j.id == id);
  CHECK(j.state == JobState::Queued);
  CHECK(j.name == "hero shot");
  CHECK(j.spec == n.spec);
  CHECK(j.priority == 3);
  CHECK(j.created_ms == f.now);
  CHECK_FALSE(j.started_ms.has_value());
  CHECK_FALSE(j.finished_ms.has_value());
  CHECK(j.attempts == 0);
  CHECK(j.max_attempts == 4);
  CHECK(j.timeout_ms == 60'000);
  CHECK(j.after.empty());
  CHECK_FALSE(j.owner.has_value());
}

TEST_CASE("a command job comes back with its argv, folder and environment, and is claimed like a render",
          "[store][exec]") {
  StoreFixture f;
  NewJob n = job(1);
  n.exec = ExecSpec{.argv = {"true", "a b", "caf\u00e9 $HOME"}, .program = "/bin/true", .cwd = "/tmp",
                    .env = {{"PATH", "/usr/bin:/bin"}, {"RENDERQ_X", "1"}}};
  const JobId id = f.submit(n);
  const Job j = f.get(id);
  REQUIRE(j.exec.has_value());
  CHECK(*j.exec == *n.exec);
  const std::optional<Job> claimed = f.claim();
  REQUIRE(claimed.has_value());
  CHECK(claimed->id == id);
  REQUIRE(claimed->exec.has_value());
  CHECK(claimed->exec->program == "/bin/true");
  CHECK(f.store->finish(id, owner(), ok()).value() == JobState::Succeeded);
}

TEST_CASE("a command job with a relative program is refused on every backend", "[store][exec]") {
  StoreFixture f;
  NewJob n = job();
  n.exec = ExecSpec{.argv = {"true"}, .program = "true", .cwd = "/tmp", .env = {}};
  CHECK_FALSE(f.store->submit(n).has_value());
  CHECK(f.store->list({}).value().empty());
}

TEST_CASE("submit rejects invalid jobs and stores nothing", "[store]") {
  StoreFixture f;
  NewJob n = job();
  n.spec.width = 0;
  CHECK(f.store->submit(n).error().code == Errc::SizeOutOfRange);
  n = job();
  n.spec.scene = "relative.glb";
  CHECK(f.store->submit(n).error().code == Errc::InvalidArgument);
  n = job();
  n.max_attempts = 0;
  CHECK(f.store->submit(n).error().code == Errc::InvalidArgument);
  CHECK(f.store->list({}).value().empty());
}

TEST_CASE("ids are unique and never reused after purge", "[store]") {
  StoreFixture f;
  CHECK(f.store->last_issued_id().value() == 0);
  const JobId a = f.submit(job());
  const JobId b = f.submit(job());
  CHECK(b > a);
  CHECK(f.store->last_issued_id().value() == b.value);
  REQUIRE(f.store->cancel(b).has_value());
  f.now += 10;
  CHECK(f.store->purge(f.now).value() == std::vector<JobId>{b});
  // The purged newest job still counts: the daemon's lost-database check
  // compares job folders with this, not with the newest row.
  CHECK(f.store->last_issued_id().value() == b.value);
  CHECK(f.submit(job()) > b);
}

TEST_CASE("existing names the stored jobs among the ids asked, once each and ascending", "[store]") {
  StoreFixture f;
  CHECK(f.store->existing({}).value().empty());
  const JobId a = f.submit(job());
  const JobId b = f.submit(job());
  const JobId c = f.submit(job());
  REQUIRE(f.store->cancel(b).has_value());
  f.now += 10;
  REQUIRE(f.store->purge(f.now).value() == std::vector<JobId>{b});
  const std::vector<JobId> asked{c, JobId{c.value + 100}, b, a, c};
  CHECK(f.store->existing(asked).value() == std::vector<JobId>{a, c});
  // Many at once: one query, whatever the count.
  std::vector<JobId> many;
  for (std::int64_t i = 1; i <= 5000; ++i) many.push_back(JobId{i});
  CHECK(f.store->existing(many).value() == std::vector<JobId>{a, c});
}

TEST_CASE("a job records who it acts for: the submitting process's real uid unless given", "[store]") {
  StoreFixture f;
  CHECK(f.get(f.submit(job())).submitter_uid == static_cast<std::int64_t>(::getuid()));
  NewJob n = job();
  n.submitter_uid = 4242;
  CHECK(f.get(f.submit(n)).submitter_uid == 4242);
}

TEST_CASE("list filters by submitter on every backend, with states, names and limits", "[store][list]") {
  StoreFixture f;
  auto submit_as = [&](std::int64_t uid, const char* name) {
    NewJob n = job();
    n.name = name;
    n.submitter_uid = uid;
    return f.submit(n);
  };
  const JobId a1 = submit_as(1001, "a-1");
  const JobId b1 = submit_as(1002, "b-1");
  const JobId a2 = submit_as(1001, "a-2");
  const JobId c1 = submit_as(4242, "c-1");
  const JobId b2 = submit_as(1002, "b-2");
  auto ids = [&](ListQuery q) {
    std::vector<JobId> out;
    const std::vector<Job> jobs = f.store->list(q).value();
    for (const Job& j : jobs) out.push_back(j.id);
    return out;
  };
  CHECK(ids({.submitters = {1001}}) == std::vector<JobId>{a2, a1});
  CHECK(ids({.submitters = {1002, 4242}}) == std::vector<JobId>{b2, c1, b1});
  CHECK(ids({.submitters = {1001, 1001}}) == std::vector<JobId>{a2, a1});
  CHECK(ids({.submitters = {7}}).empty());
  CHECK(ids({}).size() == 5);
  CHECK(ids({.limit = 1, .submitters = {1002}}) == std::vector<JobId>{b2});
  CHECK(ids({.limit = 1, .before = b2, .submitters = {1002}}) == std::vector<JobId>{b1});
  CHECK(ids({.name_glob = "*-2", .submitters = {1002}}) == std::vector<JobId>{b2});
  REQUIRE(f.store->cancel(a1).has_value());
  CHECK(ids({.states = {JobState::Canceled}, .submitters = {1001}}) == std::vector<JobId>{a1});
  CHECK(ids({.states = {JobState::Queued, JobState::Canceled}, .submitters = {1001, 4242}}) ==
        std::vector<JobId>{c1, a2, a1});
  CHECK(ids({.states = {JobState::Canceled}, .submitters = {1002}}).empty());
}

TEST_CASE("get of an unknown id is job_not_found", "[store]") {
  StoreFixture f;
  CHECK(f.store->get(JobId{7}).error().code == Errc::JobNotFound);
  CHECK(f.store->cancel(JobId{7}).error().code == Errc::JobNotFound);
  CHECK(f.store->retry(JobId{7}).error().code == Errc::JobNotFound);
}

TEST_CASE("list filters by a name GLOB on every backend, with states and limits", "[store][list]") {
  StoreFixture f;
  std::vector<JobId> ids;
  for (const char* name : {"nightly-1", "hero shot", "nightly-2", "a.b", "nightly-10", "axb"}) {
    NewJob n = job();
    n.name = name;
    ids.push_back(f.submit(n));
  }
  auto names = [&](ListQuery q) {
    std::vector<std::string> out;
    const std::vector<Job> jobs = f.store->list(q).value();
    for (const Job& j : jobs) out.push_back(j.name);
    return out;
  };
  CHECK(names({.name_glob = "nightly-*"}) == std::vector<std::string>{"nightly-10", "nightly-2", "nightly-1"});
  CHECK(names({.name_glob = "nightly-?"}) == std::vector<std::string>{"nightly-2", "nightly-1"});
  CHECK(names({.name_glob = "nightly-[12]"}) == std::vector<std::string>{"nightly-2", "nightly-1"});
  CHECK(names({.name_glob = "nightly-[^1]"}) == std::vector<std::string>{"nightly-2"});
  CHECK(names({.name_glob = "a.b"}) == std::vector<std::string>{"a.b"});  // "." is literal
  CHECK(names({.name_glob = "hero*"}) == std::vector<std::string>{"hero shot"});
  CHECK(names({.name_glob = "Nightly*"}).empty());  // case-sensitive
  CHECK(names({.limit = 1, .name_glob = "nightly-*"}) == std::vector<std::string>{"nightly-10"});
  REQUIRE(f.store->cancel(ids[2]).has_value());
  CHECK(names({.states = {JobState::Canceled}, .name_glob = "nightly-*"}) == std::vector<std::string>{"nightly-2"});
}

TEST_CASE("list is newest first, filters by state, limits and pages", "[store][list]") {
  StoreFixture f;
  std::vector<JobId> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(f.submit(job()));
  REQUIRE(f.store->cancel(ids[1]).has_value());
  REQUIRE(f.claim()->id == ids[0]);
  REQUIRE(f.store->cancel(ids[4]).has_value());

  const std::vector<Job> all = f.store->list({}).value();
  REQUIRE(all.size() == 6);
  CHECK(all.front().id == ids[5]);
  CHECK(all.back().id == ids[0]);

  const std::vector<Job> two = f.store->list({.limit = 2}).value();
  REQUIRE(two.size() == 2);
  CHECK(two[1].id == ids[4]);
  const std::vector<Job> next = f.store->list({.limit = 2, .before = two[1].id}).value();
  REQUIRE(next.size() == 2);
  CHECK(next[0].id == ids[3]);

  const std::vector<Job> canceled = f.store->list({.states = {JobState::Canceled}}).value();
  REQUIRE(canceled.size() == 2);
  CHECK(canceled[0].id == ids[4]);
  CHECK(canceled[1].id == ids[1]);

  const std::vector<Job> mixed =
      f.store->list({.states = {JobState::Running, JobState::Canceled, JobState::Running}, .limit = 2}).value();
  REQUIRE(mixed.size() == 2);
  CHECK(mixed[0].id == ids[4]);
  CHECK(mixed[1].id == ids[1]);

  const QueueCounts c = f.store->counts().value();
  CHECK(c.queued == 3);
  CHECK(c.running == 1);
  CHECK(c.canceled == 2);
  CHECK(c.succeeded == 0);
}

TEST_CASE("cancel of a queued job is immediate", "[store][cancel]") {
  StoreFixture f;
  const JobId id = f.submit(job());
  CHECK(f.store->cancel(id).value() == CancelResult::Canceled);
  const Job j = f.get(id);
  CHECK(j.state == JobState::Canceled);
  CHECK(j.finished_ms == f.now);
  CHECK_FALSE(f.claim().has_value());
}

TEST_CASE("retry requeues failed and canceled jobs with a fresh budget", "[store][retry]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 2));
  for (int i = 0; i < 2; ++i) {
    REQUIRE(f.claim().has_value());
    REQUIRE(f.store->finish(id, owner(), failure(true)).has_value());
  }
  REQUIRE(f.state(id) == JobState::Failed);
  REQUIRE(f.store->retry(id).has_value());
  Job j = f.get(id);
  CHECK(j.state == JobState::Queued);
  CHECK(j.attempts == 0);
  CHECK(j.error_code.empty());
  CHECK_FALSE(j.finished_ms.has_value());
  CHECK(f.claim()->attempts == 1);
  // Running and queued jobs cannot be retried.
  CHECK(f.store->retry(id).error().code == Errc::JobStateConflict);
  const JobId q = f.submit(job());
  CHECK(f.store->retry(q).error().code == Errc::JobStateConflict);
  REQUIRE(f.store->cancel(q).has_value());
  REQUIRE(f.store->retry(q).has_value());
  CHECK(f.state(q) == JobState::Queued);
}

TEST_CASE("retry of a failed dependency brings back the dependents it failed", "[store][retry][deps]") {
  StoreFixture f;
  const JobId a = f.submit(job());
  const JobId b = f.submit(job(0, {a}));
  const JobId c = f.submit(job(0, {b}));
  REQUIRE(f.store->cancel(a).has_value());
  REQUIRE(f.state(c) == JobState::Failed);
  // The dependent alone cannot be retried while its dependency is canceled.
  CHECK(f.store->retry(b).error().code == Errc::JobStateConflict);
  REQUIRE(f.store->retry(a).has_value());
  CHECK(f.state(b) == JobState::Queued);
  CHECK(f.state(c) == JobState::Queued);
  CHECK(f.claim()->id == a);
}

TEST_CASE("purge removes finished jobs older than the cutoff only", "[store][purge]") {
  StoreFixture f;
  const JobId old_done = f.submit(job());
  const JobId queued = f.submit(job());
  REQUIRE(f.claim()->id == old_done);
  REQUIRE(f.store->finish(old_done, owner(), ok()).has_value());
  f.now += 1'000;
  const JobId new_done = f.submit(job());
  REQUIRE(f.store->cancel(new_done).has_value());
  CHECK(f.store->purge(f.now - 500).value() == std::vector<JobId>{old_done});
  CHECK(f.store->get(old_done).error().code == Errc::JobNotFound);
  CHECK(f.state(queued) == JobState::Queued);
  CHECK(f.state(new_done) == JobState::Canceled);
}

TEST_CASE("the change marker moves on every commit, ours or another connection's", "[store]") {
  StoreFixture f;
  const std::int64_t m0 = f.store->change_marker().value();
  CHECK(f.store->change_marker().value() == m0);
  f.submit(job());
  const std::int64_t m1 = f.store->change_marker().value();
  CHECK(m1 != m0);
  auto other = f.reopen();
  REQUIRE(other->submit(job()).has_value());
  CHECK(f.store->change_marker().value() != m1);
}

TEST_CASE("submit_batch stores every job in order, or none", "[store][batch]") {
  StoreFixture f;
  const JobId before = f.submit(job());
  std::vector<NewJob> jobs;
  for (int i = 0; i < 5; ++i) {
    NewJob n = job(i);
    n.name = "b" + std::to_string(i);
    if (i == 4) n.after = {before};
    jobs.push_back(std::move(n));
  }
  const std::vector<JobId> ids = f.store->submit_batch(jobs).value();
  REQUIRE(ids.size() == 5);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CHECK(ids[i].value == before.value + 1 + static_cast<std::int64_t>(i));
    const Job j = f.get(ids[i]);
    CHECK(j.name == "b" + std::to_string(i));
    CHECK(j.priority == static_cast<int>(i));
    CHECK(j.state == JobState::Queued);
  }
  CHECK(f.get(ids[4]).after == std::vector<JobId>{before});

  // A bad job (invalid values, or a dependency that does not exist) stores
  // nothing, whichever its place, and names its index.
  const std::size_t count = f.store->list({}).value().size();
  for (std::size_t bad_at : {std::size_t{0}, std::size_t{2}, std::size_t{4}}) {
    for (bool missing_dep : {false, true}) {
      std::vector<NewJob> batch(5, job());
      if (missing_dep)
        batch[bad_at].after = {JobId{999'999}};
      else
        batch[bad_at].spec.width = 0;
      std::size_t failed = 99;
      auto r = f.store->submit_batch(batch, &failed);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == (missing_dep ? Errc::JobNotFound : Errc::SizeOutOfRange));
      CHECK(failed == bad_at);
      CHECK(f.store->list({}).value().size() == count);
    }
  }
  // Ids stay increasing (a PostgreSQL sequence may skip the rolled-back ones).
  CHECK(f.submit(job()) > ids.back());
}
