// The spool's change signal: every commit by any connection wakes a
// ChangeWatch on the spool, after the commit is visible.
#include "spool/change_watch.hpp"

#include <sys/stat.h>

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "spool_test_support.hpp"

namespace renderq {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

TEST_CASE("a commit by another connection wakes a watch on the spool folder", "[change_watch]") {
  test::StoreFixture f(test::Backend::Sqlite);  // the change signal is the SQLite spool's
  ChangeWatch watch = ChangeWatch::open(f.dir.path());
  REQUIRE(watch.active());
  auto other = SqliteStore::open(f.dir.path() / "queue.db", false);
  REQUIRE(other.has_value());
  const std::int64_t before = f.store->change_marker().value();
  bool submitted = false;
  std::thread writer([&] {
    std::this_thread::sleep_for(50ms);
    submitted = (*other)->submit(test::job()).has_value();
  });
  const Clock::time_point start = Clock::now();
  bool woke = false;
  // The signal comes after the commit, so the marker must have moved when
  // the watch wakes (the loop only guards against a broken signal).
  while (f.store->change_marker().value() == before && Clock::now() - start < 10s) woke = watch.wait(start + 10s);
  writer.join();
  CHECK(submitted);
  CHECK(woke);
  CHECK(f.store->change_marker().value() != before);
  CHECK(Clock::now() - start < 10s);
}

TEST_CASE("the change counter file follows the database's mode and holds one 32-bit counter", "[change_watch]") {
  test::StoreFixture f(test::Backend::Sqlite);  // the change signal is the SQLite spool's
  // Opening the store already committed (the schema): start afresh.
  const auto signal = change_signal_path(f.dir.path() / "queue.db");
  REQUIRE(::chmod((f.dir.path() / "queue.db").c_str(), 0640) == 0);
  std::filesystem::remove(signal);
  auto other = SqliteStore::open(f.dir.path() / "queue.db", false);
  REQUIRE(other.has_value());
  REQUIRE((*other)->submit(test::job()).has_value());
  f.submit(test::job());
  struct stat st {};
  REQUIRE(::stat(signal.c_str(), &st) == 0);
  CHECK(S_ISREG(st.st_mode));
  CHECK(st.st_size == 4);
  CHECK((st.st_mode & 0777) == 0640);
}

TEST_CASE("a watch with nothing written returns false at its deadline", "[change_watch]") {
  test::TempDir dir;
  ChangeWatch watch = ChangeWatch::open(dir.path());
  REQUIRE(watch.active());
  const Clock::time_point start = Clock::now();
  CHECK_FALSE(watch.wait(start + 30ms));
  CHECK(Clock::now() - start >= 30ms);
}

TEST_CASE("a watch on a spool it cannot open degrades to polling", "[change_watch]") {
  test::TempDir dir;
  ChangeWatch watch = ChangeWatch::open(dir.path() / "missing");
  CHECK_FALSE(watch.active());
  CHECK(watch.wait(Clock::now() + 1s));  // a poll step, then "look again"
}

}  // namespace
}  // namespace renderq
