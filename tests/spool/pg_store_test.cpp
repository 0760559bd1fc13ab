// What only the PostgreSQL store has: migrations under an advisory lock,
// claimers on many connections (SKIP LOCKED), NOTIFY wake-ups, lease
// fencing inside the UPDATE, reconnecting after a server restart. The
// behaviour both stores share is tested on both by store_test.cpp and
// claim_test.cpp.
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "spool/pg_migrate.hpp"
#include "spool/pg_wake.hpp"
#include "spool/sql_text.hpp"
#include "spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

namespace {

int latest_pg_version() { return static_cast<int>(migrations("pg").value().size()); }

std::unique_ptr<PgConn> raw(const std::string& url) {
  auto c = PgConn::connect(url);
  REQUIRE(c.has_value());
  return std::move(*c);
}

bool readable_within(int fd, int ms) {
  pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
  return ::poll(&p, 1, ms) == 1;
}

}  // namespace

TEST_CASE("pg: a fresh queue is migrated once and records each version", "[pg][schema]") {
  const std::string url = PgServer::instance().fresh_url();
  REQUIRE(PgStore::open(url).has_value());
  REQUIRE(PgStore::open(url).has_value());
  auto c = raw(url);
  CHECK(pg_schema_version(*c) == latest_pg_version());
  CHECK(c->exec("SELECT count(*) AS n FROM renderq_schema_version").int64(0, "n") == latest_pg_version());
}

TEST_CASE("pg: hosts opening a fresh queue at once migrate it once", "[pg][schema]") {
  const std::string url = PgServer::instance().fresh_url();
  std::vector<std::thread> hosts;
  std::vector<Errc> errors(4, Errc::Internal);
  std::vector<bool> ok(4, false);
  for (std::size_t i = 0; i < 4; ++i)
    hosts.emplace_back([&, i] {
      auto s = PgStore::open(url);
      ok[i] = s.has_value();
      if (!s) errors[i] = s.error().code;
    });
  for (std::thread& t : hosts) t.join();
  CHECK(std::all_of(ok.begin(), ok.end(), [](bool b) { return b; }));
  auto c = raw(url);
  CHECK(c->exec("SELECT count(*) AS n FROM renderq_schema_version").int64(0, "n") == latest_pg_version());
}

TEST_CASE("pg: a queue migrated by a newer renderq is refused and left alone", "[pg][schema]") {
  const std::string url = PgServer::instance().fresh_url();
  REQUIRE(PgStore::open(url).has_value());
  auto c = raw(url);
  c->exec("INSERT INTO renderq_schema_version (version) VALUES (999)");
  CHECK(PgStore::open(url).error().code == Errc::SchemaTooNew);
  CHECK(pg_schema_version(*c) == 999);
}

TEST_CASE("pg: an unreachable server is io, never a crash", "[pg]") {
  CHECK(PgStore::open("postgresql://nobody@/none?host=/nonexistent-renderq-dir&port=1").error().code ==
        Errc::StoreUnavailable);
}

TEST_CASE("pg: claimers on their own connections never take the same job", "[pg][claim]") {
  StoreFixture f(Backend::Postgres);
  constexpr int kJobs = 200;
  for (int i = 0; i < kJobs; ++i) f.submit(job(i % 3));
  std::vector<std::vector<JobId>> taken(4);
  std::vector<std::thread> claimers;
  for (std::size_t w = 0; w < taken.size(); ++w)
    claimers.emplace_back([&, w] {
      auto s = PgStore::open(f.pg_url);
      if (!s) return;
      const Owner me{.host = "host" + std::to_string(w), .boot_id = "b", .pid = 1};
      while (true) {
        auto c = (*s)->claim(ClaimRequest{.owner = me, .worker = "w", .device = "d", .now_ms = 1});
        if (!c || !c->has_value()) break;
        taken[w].push_back((*c)->id);
        if (!(*s)->finish((*c)->id, me, Outcome{.ok = true})) break;
      }
    });
  for (std::thread& t : claimers) t.join();
  std::vector<JobId> all;
  for (const auto& t : taken) all.insert(all.end(), t.begin(), t.end());
  std::sort(all.begin(), all.end());
  CHECK(all.size() == kJobs);
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  CHECK(f.store->counts().value().succeeded == kJobs);
}

TEST_CASE("pg: a host that lost its lease cannot finish, renew or report on the job", "[pg][lease]") {
  StoreFixture f(Backend::Postgres);
  const JobId id = f.submit(job(0, {}, 3));
  const Owner stopped{.host = "a", .boot_id = "boot-a", .pid = 10};
  const Owner other{.host = "b", .boot_id = "boot-b", .pid = 20};
  REQUIRE(f.store->claim(ClaimRequest{.owner = stopped, .lease_ms = 1'000, .now_ms = f.now}).value().has_value());
  f.now += 1'001;  // host a was stopped past its lease
  REQUIRE(f.store->requeue_expired(f.now, {}).value() == std::vector<JobId>{id});
  REQUIRE(f.store->claim(ClaimRequest{.owner = other, .lease_ms = 30'000, .now_ms = f.now}).value()->id == id);
  CHECK(f.store->finish(id, stopped, Outcome{.ok = true}).error().code == Errc::LeaseLost);
  CHECK(f.store->renew(id, stopped, 30'000).error().code == Errc::LeaseLost);
  CHECK(f.store->set_progress(id, stopped, 1, 1).error().code == Errc::LeaseLost);
  const Job j = f.get(id);
  CHECK(j.state == JobState::Running);
  CHECK(j.owner == other);
  CHECK(j.attempts == 2);
  CHECK(f.store->finish(id, other, Outcome{.ok = true}).value() == JobState::Succeeded);
}

TEST_CASE("pg: submit, cancel, retry and resume wake listening daemons", "[pg][wake]") {
  StoreFixture f(Backend::Postgres);
  auto listener = PgWakeListener::open(f.pg_url);
  REQUIRE(listener.has_value());
  CHECK(listener->drain().value() == 0);
  const auto woken = [&] {
    const bool readable = readable_within(listener->fd(), 5'000);
    return readable && listener->drain().value() > 0;
  };
  const JobId a = f.submit(job());
  CHECK(woken());
  REQUIRE(f.store->cancel(a).has_value());
  CHECK(woken());
  REQUIRE(f.store->retry(a).has_value());
  CHECK(woken());
  REQUIRE(f.store->set_paused(true).has_value());
  REQUIRE(f.store->set_paused(false).has_value());
  CHECK(woken());
  // Nothing else arrives: a claim wakes nobody.
  REQUIRE(f.claim().has_value());
  CHECK_FALSE(readable_within(listener->fd(), 200));
}

TEST_CASE("pg: after a server restart the store and the listener reconnect", "[pg][restart]") {
  StoreFixture f(Backend::Postgres);
  const JobId a = f.submit(job());
  auto listener = PgWakeListener::open(f.pg_url);
  REQUIRE(listener.has_value());
  PgServer::instance().restart();
  // The idle connection the restart ended is opened again before use
  // (PgConn::ensure_connected): the first call works. Nothing committed is
  // lost.
  Result<Job> j = f.store->get(a);
  REQUIRE(j.has_value());
  CHECK(j->state == JobState::Queued);
  // The listener notices the dead connection, listens again and says "look".
  REQUIRE(readable_within(listener->fd(), 5'000));
  CHECK(listener->drain().value() >= 1);
  const JobId b = f.submit(job());
  CHECK(readable_within(listener->fd(), 5'000));
  CHECK(listener->drain().value() >= 1);
  CHECK(f.claim()->id == a);
  CHECK(f.claim()->id == b);
}

TEST_CASE("pg: counts kept as deltas agree with counting the rows, before and after folding", "[pg][counts]") {
  StoreFixture f(Backend::Postgres);
  std::vector<JobId> ids;
  for (int i = 0; i < 1'100; ++i) ids.push_back(f.submit(job(0, i > 0 && i % 4 == 0 ? std::vector<JobId>{ids[0]} : std::vector<JobId>{}, 2)));
  REQUIRE(f.store->cancel(ids[0]).has_value());  // fails every fourth job as a dependent
  for (int i = 0; i < 3; ++i) {
    const std::optional<Job> j = f.claim();
    REQUIRE(j.has_value());
    REQUIRE(f.store->finish(j->id, owner(), i == 0 ? ok() : failure(i == 1)).has_value());
  }
  REQUIRE(f.claim().has_value());
  f.now += 10;
  REQUIRE(f.store->purge(f.now).has_value());
  auto c = raw(f.pg_url);
  const auto rows = [&](const char* state) {
    return c->exec(std::string("SELECT count(*) AS n FROM jobs WHERE state = '") + state + "'").int64(0, "n");
  };
  const auto deltas = [&] { return c->exec("SELECT count(*) AS n FROM job_count_deltas").int64(0, "n"); };
  REQUIRE(deltas() > 1'000);
  for (int pass = 0; pass < 2; ++pass) {  // the first read folds the deltas
    const QueueCounts n = f.store->counts().value();
    CHECK(n.queued == rows("queued"));
    CHECK(n.running == rows("running"));
    CHECK(n.succeeded == rows("succeeded"));
    CHECK(n.failed == rows("failed"));
    CHECK(n.canceled == rows("canceled"));
    CHECK(n.running == 1);
    CHECK(n.queued > 0);
  }
  CHECK(deltas() <= 5);
}
