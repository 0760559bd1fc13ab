// The SQLite layer's failure paths and its use of indexes.
#include <chrono>
#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "spool/spool.hpp"
#include "spool/sql_text.hpp"
#include "spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

TEST_CASE("a write lock held past the busy timeout is Errc::Busy, reads go on", "[sqlite][busy]") {
  TempDir t;
  const auto db_path = t.path() / "queue.db";
  auto store = SqliteStore::open(db_path, true, {}, std::chrono::milliseconds(200));
  REQUIRE(store.has_value());
  const JobId queued = (*store)->submit(job()).value();

  SQLite::Database holder(db_path.string(), SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");
  const auto t0 = std::chrono::steady_clock::now();
  const Result<JobId> r = (*store)->submit(job());
  const auto waited = std::chrono::steady_clock::now() - t0;
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::Busy);
  CHECK(waited >= std::chrono::milliseconds(200));
  CHECK(waited < std::chrono::seconds(5));
  CHECK((*store)->cancel(queued).error().code == Errc::Busy);
  CHECK((*store)->claim({.owner = owner()}).error().code == Errc::Busy);
  // WAL: readers are never blocked by the writer.
  CHECK((*store)->get(queued).value().state == JobState::Queued);
  CHECK((*store)->list({}).value().size() == 1);
  holder.exec("ROLLBACK");

  CHECK((*store)->submit(job()).has_value());
  CHECK((*store)->cancel(queued).value() == CancelResult::Canceled);
}

TEST_CASE("hot queries use indexes, never a table scan or a sort", "[sqlite][plan]") {
  TempDir t;
  auto store = SqliteStore::open(t.path() / "queue.db", true);
  REQUIRE(store.has_value());
  SQLite::Database& db = (*store)->connection().db();
  for (const char* path : {"sqlite/claim.sql", "sqlite/claim_peek.sql", "sqlite/get_job.sql", "sqlite/list_all.sql",
                           "sqlite/list_state.sql", "sqlite/running_jobs.sql", "sqlite/purge_select.sql",
                           "sqlite/fail_dependents.sql", "sqlite/failed_dependents.sql"}) {
    SQLite::Statement plan(db, "EXPLAIN QUERY PLAN " + std::string(sql_text(path).value()));
    std::string all;
    while (plan.executeStep()) all += plan.getColumn("detail").getString() + "\n";
    INFO(path << " plan:\n" << all);
    CHECK(all.find("TEMP B-TREE") == std::string::npos);
    // A full scan of jobs shows as "SCAN jobs" / "SCAN q" without "USING".
    for (const char* scan : {"SCAN jobs\n", "SCAN q\n", "SCAN p\n", "SCAN j\n"})
      CHECK(all.find(scan) == std::string::npos);
  }
}

TEST_CASE("a queue.db with a damaged schema page is spool_corrupt and left as it was", "[sqlite][corrupt]") {
  TempDir t;
  {
    Result<Spool> s = Spool::open(SpoolOptions{.dir = t.path().string()});
    REQUIRE(s.has_value());
    REQUIRE(s->store().submit(job()).has_value());
  }
  {  // move everything from the WAL into queue.db, as a backup tool would
    SQLite::Database db((t.path() / "queue.db").string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  const auto db_path = t.path() / "queue.db";
  {
    std::fstream f(db_path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);  // after the 100-byte header: page 1 holds the schema
    const std::string junk(3000, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const auto read = [&] {
    std::ifstream in(db_path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  const std::string before = read();
  const Result<Spool> s = Spool::open(SpoolOptions{.dir = t.path().string()});
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().code == Errc::SpoolCorrupt);
  CHECK(read() == before);
}

TEST_CASE("a version 1 spool is migrated to the latest version with its jobs counted", "[sqlite][schema]") {
  TempDir t;
  const auto db_path = t.path() / "queue.db";
  const std::vector<Migration> all = migrations().value();
  REQUIRE(all.size() >= 2);
  {  // a spool as the first renderq release wrote it
    SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("BEGIN");
    db.exec(std::string(all[0].text));
    db.exec("PRAGMA user_version=1");
    const std::string spec = to_json(job().spec).dump();
    for (const char* state : {"queued", "succeeded", "succeeded", "failed"}) {
      SQLite::Statement ins(db, "INSERT INTO jobs (state, spec, created_ms) VALUES (?, ?, 1)");
      ins.bind(1, state);
      ins.bind(2, spec);
      ins.exec();
    }
    db.exec("COMMIT");
  }
  auto store = SqliteStore::open(db_path, false);
  REQUIRE(store.has_value());
  QueueCounts c = (*store)->counts().value();
  CHECK(c.queued == 1);
  CHECK(c.succeeded == 2);
  CHECK(c.failed == 1);
  CHECK((*store)->connection().db().execAndGet("PRAGMA user_version").getInt() == static_cast<int>(all.size()));
  // The triggers keep counting from here on.
  REQUIRE((*store)->cancel(JobId{1}).has_value());
  c = (*store)->counts().value();
  CHECK(c.queued == 0);
  CHECK(c.canceled == 1);
}

TEST_CASE("counts kept by triggers agree with counting the rows", "[sqlite][counts]") {
  StoreFixture f(Backend::Sqlite);
  std::vector<JobId> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(f.submit(job(0, i > 0 && i % 4 == 0 ? std::vector<JobId>{ids[0]} : std::vector<JobId>{}, 2)));
  REQUIRE(f.store->cancel(ids[0]).has_value());  // fails ids 4 and 8 as dependents
  for (int i = 0; i < 3; ++i) {
    const std::optional<Job> j = f.claim();
    REQUIRE(j.has_value());
    REQUIRE(f.store->finish(j->id, owner(), i == 0 ? ok() : failure(i == 1)).has_value());
  }
  REQUIRE(f.claim().has_value());
  REQUIRE(f.store->retry(ids[0]).has_value());
  f.now += 10;
  REQUIRE(f.store->purge(f.now).has_value());
  const QueueCounts c = f.store->counts().value();
  SQLite::Database& db = f.sqlite().connection().db();
  const auto rows = [&](const char* state) {
    SQLite::Statement q(db, "SELECT count(*) FROM jobs WHERE state = ?");
    q.bind(1, state);
    q.executeStep();
    return q.getColumn(0).getInt64();
  };
  CHECK(c.queued == rows("queued"));
  CHECK(c.running == rows("running"));
  CHECK(c.succeeded == rows("succeeded"));
  CHECK(c.failed == rows("failed"));
  CHECK(c.canceled == rows("canceled"));
  CHECK(c.queued + c.running + c.succeeded + c.failed + c.canceled == rows("queued") + rows("running") +
                                                                        rows("succeeded") + rows("failed") +
                                                                        rows("canceled"));
  CHECK(c.queued > 0);
  CHECK(c.running == 1);
}
