// wait_for_jobs against real spools: it never misses a finish, whenever the
// finish commits (issue 13: `wait` once never returned for a job that
// finished while it started).
#include "cli/job_wait.hpp"

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include <catch2/catch.hpp>

#include "spool/change_watch.hpp"
#include "spool/pg_queue.hpp"
#include "spool/spool.hpp"
#include "tests/spool/pg_server.hpp"
#include "tests/temp_dir.hpp"

namespace renderq {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const Owner kOwner{.host = "test", .boot_id = "boot", .pid = 1};

Spool open_spool(const std::filesystem::path& dir) {
  auto spool = Spool::open({.dir = dir.string(), .allow_network_fs = true, .create = true, .fs_probe = {}});
  REQUIRE(spool.has_value());
  return std::move(*spool);
}

NewJob tiny_job() {
  NewJob j;
  j.spec.scene = "/scenes/box.glb";
  j.spec.output = "/renders/box.png";
  return j;
}

void claim_and_finish(Store& store, JobId id) {
  auto claimed = store.claim({.owner = kOwner, .worker = "w", .device = "none", .lease_ms = 60'000, .now_ms = {}});
  REQUIRE(claimed.has_value());
  REQUIRE(claimed->has_value());
  REQUIRE((*claimed)->id == id);
  auto done = store.finish(id, kOwner, Outcome{.ok = true});
  REQUIRE(done.has_value());
}

class QuietReporter final : public WaitReporter {
 public:
  void update(std::span<const Job>) override {}
  void finished(const Job&) override { ++finished_count; }
  void done() override {}
  int finished_count = 0;
};

// A store whose first get() returns what it read and only then lets another
// connection finish the job: the finish lands after the waiter's first read
// of the job, the window `wait` used to lose forever.
class FinishAfterFirstRead final : public Store {
 public:
  FinishAfterFirstRead(Store& inner, Store& other) : inner_(inner), other_(other) {}
  Result<Job> get(JobId id) override {
    Result<Job> job = inner_.get(id);
    if (!done_) {
      done_ = true;
      claim_and_finish(other_, id);
    }
    return job;
  }
  Result<JobId> submit(const NewJob& j) override { return inner_.submit(j); }
  Result<std::vector<JobId>> submit_batch(std::span<const NewJob> j, std::size_t* failed) override {
    return inner_.submit_batch(j, failed);
  }
  Result<void> edit(JobId id, const JobEdit& e) override { return inner_.edit(id, e); }
  Result<std::vector<Job>> list(const ListQuery& q) override { return inner_.list(q); }
  Result<QueueCounts> counts() override { return inner_.counts(); }
  Result<std::optional<Job>> claim(const ClaimRequest& r) override { return inner_.claim(r); }
  Result<bool> renew(JobId id, const Owner& o, std::int64_t ms) override { return inner_.renew(id, o, ms); }
  Result<void> set_progress(JobId id, const Owner& o, int d, int t) override { return inner_.set_progress(id, o, d, t); }
  Result<void> set_worker(JobId id, const Owner& o, const std::string& w) override { return inner_.set_worker(id, o, w); }
  Result<JobState> finish(JobId id, const Owner& o, const Outcome& out) override { return inner_.finish(id, o, out); }
  Result<CancelResult> cancel(JobId id) override { return inner_.cancel(id); }
  Result<void> retry(JobId id) override { return inner_.retry(id); }
  Result<std::vector<JobId>> requeue_expired(std::int64_t now,
                                             const std::function<bool(const Owner&)>& alive) override {
    return inner_.requeue_expired(now, alive);
  }
  Result<std::vector<JobId>> purge(std::int64_t cutoff) override { return inner_.purge(cutoff); }
  Result<bool> paused() override { return inner_.paused(); }
  Result<void> set_paused(bool p) override { return inner_.set_paused(p); }
  Result<std::int64_t> change_marker() override { return inner_.change_marker(); }
  Result<std::int64_t> last_issued_id() override { return inner_.last_issued_id(); }
  Result<std::vector<JobId>> existing(std::span<const JobId> ids) override { return inner_.existing(ids); }
  Result<void> record_daemon(const DaemonRecord& d) override { return inner_.record_daemon(d); }
  Result<void> remove_daemon(const Owner& o) override { return inner_.remove_daemon(o); }
  Result<DaemonRoster> daemons() override { return inner_.daemons(); }
  Result<int> forget_daemons(std::int64_t ms) override { return inner_.forget_daemons(ms); }

 private:
  Store& inner_;
  Store& other_;
  bool done_ = false;
};

TEST_CASE("wait sees a finish that commits right after its first read of the job", "[job_wait]") {
  test::TempDir dir;
  Spool waiter = open_spool(dir.path);
  Spool worker = open_spool(dir.path);
  const JobId id = worker.store().submit(tiny_job()).value();
  ChangeWatch watch = ChangeWatch::open(dir.path);
  REQUIRE(watch.active());
  FinishAfterFirstRead store(waiter.store(), worker.store());
  QuietReporter reporter;
  const JobId ids[] = {id};
  // No fallback poll: the signal alone must wake it; the deadline only
  // detects a hang.
  auto result = wait_for_jobs(store, watch, ids, reporter, {.deadline = Clock::now() + 10s, .fallback = 0ms});
  REQUIRE(result.has_value());
  CHECK_FALSE(result->timed_out);
  CHECK(reporter.finished_count == 1);
}

TEST_CASE("1000 submit-then-wait rounds: no wait outlives its job by 1 s", "[job_wait]") {
  test::TempDir dir;
  Spool waiter = open_spool(dir.path);
  Spool worker = open_spool(dir.path);
  std::atomic<std::int64_t> to_finish{0};
  std::atomic<Clock::rep> finished_at{0};
  std::atomic<bool> stop{false};
  // The worker finishes each job as soon as it is submitted, after a random
  // pause of 0-300 us, so finishes land before, during and after the
  // waiter's first reads.
  std::thread finisher([&] {
    std::mt19937 rng(42);
    while (!stop) {
      const std::int64_t id = to_finish.exchange(0);
      if (id == 0) {
        std::this_thread::yield();
        continue;
      }
      const auto pause = std::chrono::microseconds(rng() % 300);
      for (auto until = Clock::now() + pause; Clock::now() < until;) {
      }
      auto claimed =
          worker.store().claim({.owner = kOwner, .worker = "w", .device = "none", .lease_ms = 60'000, .now_ms = {}});
      if (claimed && *claimed) (void)worker.store().finish((*claimed)->id, kOwner, Outcome{.ok = true});
      finished_at = Clock::now().time_since_epoch().count();
    }
  });
  Clock::duration worst{};
  int timed_out = 0;
  for (int round = 0; round < 1000; ++round) {
    const JobId id = waiter.store().submit(tiny_job()).value();
    finished_at = 0;
    ChangeWatch watch = ChangeWatch::open(dir.path);
    to_finish = id.value;
    QuietReporter reporter;
    const JobId ids[] = {id};
    auto result = wait_for_jobs(waiter.store(), watch, ids, reporter, {.deadline = Clock::now() + 5s, .fallback = 0ms});
    const Clock::time_point returned = Clock::now();
    REQUIRE(result.has_value());
    if (result->timed_out) {
      ++timed_out;
      continue;
    }
    while (finished_at == 0) std::this_thread::yield();  // the finisher's clock read may lag its commit
    worst = std::max(worst, returned - Clock::time_point(Clock::duration(finished_at.load())));
  }
  stop = true;
  finisher.join();
  const double worst_ms = std::chrono::duration<double, std::milli>(worst).count();
  INFO("worst wait after its job finished: " << worst_ms << " ms");
  CHECK(timed_out == 0);
  CHECK(worst < 1s);
}

// The same on a PostgreSQL queue: the waiter's change source LISTENs on
// renderq_changes (spool/pg_queue.cpp), and with the fallback poll off that
// NOTIFY is all that can wake it.
std::unique_ptr<PgQueue> open_pg(const std::string& url) {
  auto q = PgQueue::open(url);
  REQUIRE(q.has_value());
  return std::move(*q);
}

TEST_CASE("wait on PostgreSQL sees a finish that commits right after its first read, woken by NOTIFY alone",
          "[job_wait][pg]") {
  const std::string url = test::PgServer::instance().fresh_url();
  auto waiter = open_pg(url);
  auto worker = open_pg(url);
  const JobId id = worker->store().submit(tiny_job()).value();
  std::unique_ptr<ChangeSource> watch = waiter->watch_changes();
  FinishAfterFirstRead store(waiter->store(), worker->store());
  QuietReporter reporter;
  const JobId ids[] = {id};
  auto result = wait_for_jobs(store, *watch, ids, reporter, {.deadline = Clock::now() + 10s, .fallback = 0ms});
  REQUIRE(result.has_value());
  CHECK_FALSE(result->timed_out);
  CHECK(reporter.finished_count == 1);
}

TEST_CASE("200 submit-then-wait rounds on PostgreSQL: every wait returns, woken by NOTIFY alone", "[job_wait][pg]") {
  const std::string url = test::PgServer::instance().fresh_url();
  auto waiter = open_pg(url);
  auto worker = open_pg(url);
  std::atomic<std::int64_t> to_finish{0};
  std::atomic<bool> stop{false};
  std::thread finisher([&] {
    std::mt19937 rng(7);
    while (!stop) {
      if (to_finish.load() == 0) {
        std::this_thread::yield();
        continue;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 500));
      auto claimed =
          worker->store().claim({.owner = kOwner, .worker = "w", .device = "none", .lease_ms = 60'000, .now_ms = {}});
      if (claimed && *claimed) (void)worker->store().finish((*claimed)->id, kOwner, Outcome{.ok = true});
      to_finish = 0;
    }
  });
  int timed_out = 0;
  for (int round = 0; round < 200; ++round) {
    while (to_finish.load() != 0) std::this_thread::yield();
    const JobId id = waiter->store().submit(tiny_job()).value();
    std::unique_ptr<ChangeSource> watch = waiter->watch_changes();
    to_finish = id.value;
    QuietReporter reporter;
    const JobId ids[] = {id};
    auto result =
        wait_for_jobs(waiter->store(), *watch, ids, reporter, {.deadline = Clock::now() + 5s, .fallback = 0ms});
    REQUIRE(result.has_value());
    if (result->timed_out) ++timed_out;
  }
  stop = true;
  finisher.join();
  CHECK(timed_out == 0);
}

}  // namespace
}  // namespace renderq
