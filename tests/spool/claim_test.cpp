// The claim/lease protocol: order, dependencies, leases, attempts.
#include <catch2/catch.hpp>

#include "spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

TEST_CASE("claim takes the highest priority first", "[claim]") {
  StoreFixture f;
  const JobId low = f.submit(job(0));
  const JobId high = f.submit(job(5));
  const JobId mid = f.submit(job(2));
  CHECK(f.claim()->id == high);
  CHECK(f.claim()->id == mid);
  CHECK(f.claim()->id == low);
  CHECK_FALSE(f.claim().has_value());
}

TEST_CASE("claim is FIFO within a priority", "[claim]") {
  StoreFixture f;
  std::vector<JobId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(f.submit(job(1)));
  f.submit(job(-1));
  for (JobId id : ids) CHECK(f.claim()->id == id);
}

TEST_CASE("claim marks the job running with owner, lease and attempt", "[claim]") {
  StoreFixture f;
  const JobId id = f.submit(job());
  const std::optional<Job> j = f.claim(77, 5'000);
  REQUIRE(j.has_value());
  CHECK(j->id == id);
  CHECK(j->state == JobState::Running);
  CHECK(j->attempts == 1);
  CHECK(j->owner == owner(77));
  CHECK(j->lease_expires_ms == f.now + 5'000);
  CHECK(j->started_ms == f.now);
  CHECK(j->worker == "w");
  CHECK(j->device == "llvmpipe");
  CHECK(f.state(id) == JobState::Running);
}

TEST_CASE("a job waits until its dependencies succeeded", "[claim][deps]") {
  StoreFixture f;
  const JobId a = f.submit(job(0));
  const JobId b = f.submit(job(0));
  const JobId c = f.submit(job(10, {a, b}));  // high priority, but blocked
  CHECK(f.get(c).after == std::vector<JobId>{a, b});
  CHECK(f.claim()->id == a);
  REQUIRE(f.store->finish(a, owner(), ok()).value() == JobState::Succeeded);
  CHECK(f.claim()->id == b);
  CHECK_FALSE(f.claim().has_value());  // c still waits for b
  REQUIRE(f.store->finish(b, owner(), ok()).value() == JobState::Succeeded);
  CHECK(f.claim()->id == c);
}

TEST_CASE("dependents of a failed job fail with dependency_failed, transitively", "[claim][deps]") {
  StoreFixture f;
  const JobId a = f.submit(job());
  const JobId b = f.submit(job(0, {a}));
  const JobId c = f.submit(job(0, {b}));
  const JobId other = f.submit(job());
  REQUIRE(f.claim()->id == a);
  REQUIRE(f.store->finish(a, owner(), failure()).value() == JobState::Failed);
  for (JobId id : {b, c}) {
    const Job j = f.get(id);
    CHECK(j.state == JobState::Failed);
    CHECK(j.error_code == "dependency_failed");
    CHECK(j.finished_ms == f.now);
  }
  CHECK(f.get(a).error_code == "gltf_invalid");
  CHECK(f.state(other) == JobState::Queued);
  CHECK(f.claim()->id == other);
}

TEST_CASE("dependents of a canceled job fail with dependency_failed", "[claim][deps]") {
  StoreFixture f;
  const JobId a = f.submit(job());
  const JobId b = f.submit(job(0, {a}));
  REQUIRE(f.store->cancel(a).value() == CancelResult::Canceled);
  CHECK(f.get(b).state == JobState::Failed);
  CHECK(f.get(b).error_code == "dependency_failed");
  CHECK_FALSE(f.claim().has_value());
}

TEST_CASE("submitting after a failed job stores it failed at once", "[claim][deps]") {
  StoreFixture f;
  const JobId a = f.submit(job());
  REQUIRE(f.store->cancel(a).has_value());
  const JobId b = f.submit(job(0, {a}));
  CHECK(f.get(b).state == JobState::Failed);
  CHECK(f.get(b).error_code == "dependency_failed");
}

TEST_CASE("submitting after a job that does not exist is refused and stores nothing", "[claim][deps]") {
  StoreFixture f;
  const Result<JobId> r = f.store->submit(job(0, {JobId{42}}));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::JobNotFound);
  CHECK(f.store->list({}).value().empty());
}

TEST_CASE("an expired lease sends the job back to the queue while attempts remain", "[claim][lease]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 2));
  REQUIRE(f.claim(1, 1'000)->id == id);
  // Not yet expired: nothing happens.
  CHECK(f.store->requeue_expired(f.now + 500, {}).value().empty());
  CHECK(f.store->requeue_expired(f.now + 1'001, {}).value() == std::vector<JobId>{id});
  Job j = f.get(id);
  CHECK(j.state == JobState::Queued);
  CHECK(j.error_code == "lease_expired");
  CHECK_FALSE(j.owner.has_value());
  // The old owner lost it: renew and finish are refused.
  CHECK(f.store->renew(id, owner(1), 1'000).error().code == Errc::LeaseLost);
  CHECK(f.store->finish(id, owner(1), ok()).error().code == Errc::LeaseLost);
  // Second and last attempt, expires too: failed for good.
  f.now += 2'000;
  REQUIRE(f.claim(2, 1'000)->attempts == 2);
  CHECK(f.store->requeue_expired(f.now + 1'001, {}).value() == std::vector<JobId>{id});
  j = f.get(id);
  CHECK(j.state == JobState::Failed);
  CHECK(j.error_code == "lease_expired");
}

TEST_CASE("a renewed lease does not expire", "[claim][lease]") {
  StoreFixture f;
  const JobId id = f.submit(job());
  REQUIRE(f.claim(1, 1'000).has_value());
  f.now += 900;
  CHECK(f.store->renew(id, owner(1), 1'000).value() == false);
  CHECK(f.store->requeue_expired(f.now + 500, {}).value().empty());
  CHECK(f.get(id).lease_expires_ms == f.now + 1'000);
  // Someone else cannot renew it.
  CHECK(f.store->renew(id, owner(2), 1'000).error().code == Errc::LeaseLost);
  CHECK(f.store->renew(JobId{999}, owner(1), 1'000).error().code == Errc::JobNotFound);
}

TEST_CASE("a dead owner's job is requeued before its lease runs out", "[claim][lease]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 3));
  REQUIRE(f.claim(1).has_value());
  const auto dead = [](const Owner& o) { return o.pid != 1; };
  CHECK(f.store->requeue_expired(f.now, [](const Owner&) { return true; }).value().empty());
  CHECK(f.store->requeue_expired(f.now, dead).value() == std::vector<JobId>{id});
  CHECK(f.get(id).state == JobState::Queued);
  CHECK(f.get(id).error_code == "worker_crashed");
}

TEST_CASE("retryable failures are retried until max attempts, then fail", "[claim][attempts]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 3));
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const std::optional<Job> j = f.claim();
    REQUIRE(j.has_value());
    CHECK(j->attempts == attempt);
    const JobState s = f.store->finish(id, owner(), failure(true)).value();
    CHECK(s == (attempt < 3 ? JobState::Queued : JobState::Failed));
  }
  CHECK_FALSE(f.claim().has_value());
  CHECK(f.get(id).error_code == "gltf_invalid");
}

TEST_CASE("an interrupted attempt goes back to the queue uncounted", "[claim][attempts]") {
  StoreFixture f;
  const JobId id = f.submit(job());  // max_attempts 1: a counted attempt would fail it
  for (int round = 0; round < 3; ++round) {
    REQUIRE(f.claim().has_value());
    Outcome o{.ok = false, .error_code = "shutdown", .error_message = "the daemon stopped"};
    o.interrupted = true;
    CHECK(f.store->finish(id, owner(), o).value() == JobState::Queued);
    CHECK(f.get(id).attempts == 0);
  }
  REQUIRE(f.claim().has_value());
  CHECK(f.store->finish(id, owner(), Outcome{.ok = true}).value() == JobState::Succeeded);
  CHECK(f.get(id).attempts == 1);
}

TEST_CASE("a non-retryable failure fails at once despite attempts left", "[claim][attempts]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 3));
  REQUIRE(f.claim().has_value());
  CHECK(f.store->finish(id, owner(), failure(false)).value() == JobState::Failed);
}

TEST_CASE("cancel of a running job is a request seen on renew, and ends canceled", "[claim][cancel]") {
  StoreFixture f;
  const JobId id = f.submit(job());
  REQUIRE(f.claim().has_value());
  CHECK(f.store->cancel(id).value() == CancelResult::CancelRequested);
  CHECK(f.state(id) == JobState::Running);
  CHECK(f.store->renew(id, owner(), 1'000).value() == true);
  CHECK(f.store->finish(id, owner(), Outcome{.ok = false, .error_code = "canceled"}).value() ==
        JobState::Canceled);
  CHECK(f.get(id).error_code == "canceled");
  CHECK(f.store->cancel(id).value() == CancelResult::AlreadyFinished);
}

TEST_CASE("a running job whose cancel was requested and whose worker died ends canceled", "[claim][cancel]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 3));
  REQUIRE(f.claim(1, 1'000).has_value());
  REQUIRE(f.store->cancel(id).has_value());
  CHECK(f.store->requeue_expired(f.now + 2'000, {}).value() == std::vector<JobId>{id});
  CHECK(f.state(id) == JobState::Canceled);
}

TEST_CASE("progress is recorded for the owner only", "[claim]") {
  StoreFixture f;
  const JobId id = f.submit(job());
  REQUIRE(f.claim().has_value());
  REQUIRE(f.store->set_progress(id, owner(), 3, 10).has_value());
  CHECK(f.get(id).progress_done == 3);
  CHECK(f.get(id).progress_total == 10);
  CHECK(f.store->set_progress(id, owner(99), 4, 10).error().code == Errc::LeaseLost);
}

TEST_CASE("the worker that runs a job is replaced by its owner only, while it runs", "[claim]") {
  StoreFixture f;
  const JobId id = f.submit(job());
  const std::optional<Job> claimed = f.claim();
  REQUIRE(claimed.has_value());
  const std::string at_claim = claimed->worker;
  REQUIRE(f.store->set_worker(id, owner(), "box:5151").has_value());
  CHECK(f.get(id).worker == "box:5151");
  CHECK(f.store->set_worker(id, owner(99), "box:6262").error().code == Errc::LeaseLost);
  CHECK(f.get(id).worker == "box:5151");
  REQUIRE(f.store->finish(id, owner(), ok()).has_value());
  CHECK(f.store->set_worker(id, owner(), "box:7373").error().code == Errc::LeaseLost);
  CHECK(f.get(id).worker == "box:5151");
  CHECK(at_claim != "box:5151");
}

TEST_CASE("progress sent with the outcome is stored with it, without, the last report stays", "[claim]") {
  StoreFixture f;
  const JobId a = f.submit(job());
  const JobId b = f.submit(job());
  REQUIRE(f.claim().has_value());
  REQUIRE(f.store->finish(a, owner(), Outcome{.ok = true, .progress = std::array<int, 2>{7, 7}}).has_value());
  CHECK(f.get(a).progress_done == 7);
  CHECK(f.get(a).progress_total == 7);
  REQUIRE(f.claim().has_value());
  REQUIRE(f.store->set_progress(b, owner(), 2, 5).has_value());
  REQUIRE(f.store->finish(b, owner(), failure()).has_value());
  CHECK(f.get(b).progress_done == 2);
  CHECK(f.get(b).progress_total == 5);
}

TEST_CASE("nothing is claimed while the queue is paused, and the flag persists", "[claim][pause]") {
  StoreFixture f;
  const JobId id = f.submit(job());
  REQUIRE(f.store->set_paused(true).has_value());
  CHECK(f.store->paused().value());
  CHECK_FALSE(f.claim().has_value());
  {
    auto again = f.reopen();
    CHECK(again->paused().value());
    REQUIRE(again->set_paused(false).has_value());
  }
  CHECK_FALSE(f.store->paused().value());
  CHECK(f.claim()->id == id);
}

TEST_CASE("a job that runs out of attempts by lease expiry fails its dependents", "[claim][lease][deps]") {
  StoreFixture f;
  const JobId a = f.submit(job());
  const JobId b = f.submit(job(0, {a}));
  REQUIRE(f.claim(1, 1'000)->id == a);
  CHECK(f.store->requeue_expired(f.now + 1'001, {}).value() == std::vector<JobId>{a});
  CHECK(f.state(a) == JobState::Failed);
  CHECK(f.get(b).error_code == "dependency_failed");
}

TEST_CASE("finish of an unknown job is job_not_found, of a queued one lease_lost", "[claim]") {
  StoreFixture f;
  CHECK(f.store->finish(JobId{5}, owner(), ok()).error().code == Errc::JobNotFound);
  const JobId id = f.submit(job());
  CHECK(f.store->finish(id, owner(), ok()).error().code == Errc::LeaseLost);
  CHECK(f.state(id) == JobState::Queued);
}

TEST_CASE("an outcome for an older attempt cannot end the holder's newer one", "[claim][lease]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 3));
  REQUIRE(f.claim(1, 1'000)->attempts == 1);
  f.now += 1'001;
  REQUIRE(f.store->requeue_expired(f.now, {}).value() == std::vector<JobId>{id});
  REQUIRE(f.claim(1)->attempts == 2);  // the same process took it again
  Outcome stale = ok();
  stale.attempt = 1;
  CHECK(f.store->finish(id, owner(1), stale).error().code == Errc::LeaseLost);
  CHECK(f.state(id) == JobState::Running);
  Outcome current = ok();
  current.attempt = 2;
  CHECK(f.store->finish(id, owner(1), current).value() == JobState::Succeeded);
}

TEST_CASE("a held job is skipped until released, only queued jobs can be edited", "[claim][edit]") {
  StoreFixture f;
  NewJob held = job(5);
  held.held = true;
  const JobId a = f.submit(held);
  const JobId b = f.submit(job(0));
  CHECK(f.get(a).held);
  // The held job has the higher priority, yet b runs.
  std::optional<Job> c = f.claim();
  REQUIRE(c.has_value());
  CHECK(c->id == b);
  CHECK_FALSE(f.claim().has_value());
  REQUIRE(f.store->edit(a, JobEdit{.held = false}).has_value());
  CHECK_FALSE(f.get(a).held);
  c = f.claim();
  REQUIRE(c.has_value());
  CHECK(c->id == a);
  // Running (and finished) jobs cannot be held or changed.
  CHECK(f.store->edit(a, JobEdit{.held = true}).error().code == Errc::JobStateConflict);
  CHECK(f.store->edit(a, JobEdit{.priority = 9}).error().code == Errc::JobStateConflict);
  REQUIRE(f.store->finish(a, owner(), ok()).has_value());
  CHECK(f.store->edit(a, JobEdit{.held = false}).error().code == Errc::JobStateConflict);
  CHECK(f.store->edit(JobId{999}, JobEdit{.held = true}).error().code == Errc::JobNotFound);
}

TEST_CASE("a new priority changes the claim order of queued jobs", "[claim][edit]") {
  StoreFixture f;
  const JobId a = f.submit(job(0));
  const JobId b = f.submit(job(0));
  REQUIRE(f.store->edit(b, JobEdit{.priority = 10}).has_value());
  CHECK(f.get(b).priority == 10);
  CHECK(f.get(b).held == false);
  CHECK(f.claim()->id == b);
  CHECK(f.claim()->id == a);
}

TEST_CASE("a job is not claimed before its not-before time", "[claim][edit]") {
  StoreFixture f;
  NewJob later = job(5);
  later.not_before_ms = f.now + 60'000;
  const JobId a = f.submit(later);
  CHECK(f.get(a).not_before_ms == f.now + 60'000);
  CHECK_FALSE(f.claim().has_value());
  f.now += 59'999;
  CHECK_FALSE(f.claim().has_value());
  f.now += 1;
  REQUIRE(f.claim().has_value());
  // An edit can move the time, or clear it (at once).
  NewJob n = job();
  n.not_before_ms = f.now + 3'600'000;
  const JobId b = f.submit(n);
  CHECK_FALSE(f.claim().has_value());
  REQUIRE(f.store->edit(b, JobEdit{.not_before_ms = std::optional<std::int64_t>{}}).has_value());
  CHECK_FALSE(f.get(b).not_before_ms.has_value());
  CHECK(f.claim()->id == b);
}

TEST_CASE("labels are stored and list filters by one", "[store][list][labels]") {
  StoreFixture f;
  NewJob n = job();
  n.labels = {{"project", "dune"}, {"shot", "0420"}};
  const JobId a = f.submit(n);
  n.labels = {{"project", "arrival"}};
  const JobId b = f.submit(n);
  f.submit(job());
  CHECK(f.get(a).labels == std::map<std::string, std::string>{{"project", "dune"}, {"shot", "0420"}});
  auto ids = [&](ListQuery q) {
    std::vector<JobId> out;
    const std::vector<Job> jobs = f.store->list(q).value();
    for (const Job& j : jobs) out.push_back(j.id);
    return out;
  };
  CHECK(ids(ListQuery{.label = std::pair<std::string, std::string>{"project", "dune"}}) == std::vector<JobId>{a});
  CHECK(ids(ListQuery{.label = std::pair<std::string, std::string>{"project", "arrival"}}) == std::vector<JobId>{b});
  CHECK(ids(ListQuery{.label = std::pair<std::string, std::string>{"shot", "0420"}}) == std::vector<JobId>{a});
  CHECK(ids(ListQuery{.label = std::pair<std::string, std::string>{"shot", "42"}}).empty());
  CHECK(ids(ListQuery{.states = {JobState::Queued}, .label = std::pair<std::string, std::string>{"project", "dune"}}) ==
        std::vector<JobId>{a});
  NewJob bad = job();
  bad.labels = {{"no spaces", "x"}};
  CHECK(f.store->submit(bad).error().code == Errc::InvalidArgument);
}

// Outcome::publish: the outputs of an attempt reach their final names only
// inside the finish that the store accepts for that attempt.
TEST_CASE("finish publishes only for the attempt that holds the job, and only when it ends succeeded or canceled",
          "[claim][lease][publish]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 3));
  int published = 0;
  const auto counting = [&](Outcome o) {
    o.publish = [&]() -> Result<void> {
      ++published;
      return {};
    };
    return o;
  };
  REQUIRE(f.claim(1, 1'000)->attempts == 1);
  f.now += 1'001;
  REQUIRE(f.store->requeue_expired(f.now, {}).value() == std::vector<JobId>{id});
  REQUIRE(f.claim(2)->attempts == 2);
  // The frozen holder of attempt 1 wakes: fenced, nothing published.
  Outcome stale = counting(ok());
  stale.attempt = 1;
  CHECK(f.store->finish(id, owner(1), stale).error().code == Errc::LeaseLost);
  // The same process holding a newer attempt cannot publish for the older one.
  CHECK(f.store->finish(id, owner(2), stale).error().code == Errc::LeaseLost);
  CHECK(published == 0);
  CHECK(f.state(id) == JobState::Running);
  // A retryable failure requeues: nothing to publish.
  Outcome crash = counting(failure(true));
  crash.attempt = 2;
  CHECK(f.store->finish(id, owner(2), crash).value() == JobState::Queued);
  CHECK(published == 0);
  // The holder's success publishes, once.
  REQUIRE(f.claim(3)->attempts == 3);
  Outcome good = ok();
  good.attempt = 3;
  good.publish = [&]() -> Result<void> {
    ++published;
    return {};
  };
  CHECK(f.store->finish(id, owner(3), good).value() == JobState::Succeeded);
  CHECK(published == 1);

  // A cancel publishes too (the frames reported so far).
  const JobId c = f.submit(job());
  REQUIRE(f.claim(4)->id == c);
  REQUIRE(f.store->cancel(c).value() == CancelResult::CancelRequested);
  CHECK(f.store->finish(c, owner(4), counting(Outcome{.ok = false, .error_code = "canceled"})).value() ==
        JobState::Canceled);
  CHECK(published == 2);
}

TEST_CASE("a publish that fails turns success into output_not_writable, not retried", "[claim][publish]") {
  StoreFixture f;
  const JobId id = f.submit(job(0, {}, 3));
  REQUIRE(f.claim().has_value());
  Outcome o = ok();
  o.publish = []() -> Result<void> { return fail(Errc::OutputNotWritable, "cannot publish '/o/x.png'"); };
  CHECK(f.store->finish(id, owner(), o).value() == JobState::Failed);
  CHECK(f.get(id).error_code == "output_not_writable");
  CHECK(f.get(id).error_message.find("/o/x.png") != std::string::npos);
}
