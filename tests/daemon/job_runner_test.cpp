// The job runner's state machine against a fake store, a fake clock and a
// fake host: lease renewal, lease loss, cancel, timeout, shutdown, worker
// death and progress throttling, without starting any process.
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "daemon/job_runner.hpp"
#include "tests/temp_dir.hpp"

using namespace renderq;
using std::chrono::milliseconds;
namespace fs = std::filesystem;

namespace {

class FakeClock final : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance(milliseconds d) { now_ += d; }

 private:
  TimePoint now_ = TimePoint{} + std::chrono::hours(1);
};

// A store holding one queued job; it records the lease protocol's calls.
class FakeStore final : public Store {
 public:
  Job job;
  bool claimable = true;
  std::optional<Error> claim_error;
  Result<bool> renew_answer = false;  // true = a cancel was requested; an Error = e.g. LeaseLost
  std::optional<Errc> finish_error;
  int finish_busy = 0;  // the first N finishes answer Busy
  int finish_away = 0;  // the next N finishes answer StoreUnavailable (the database restarting)
  std::vector<std::int64_t> renewals;  // the lease_ms of each renew
  std::vector<std::array<int, 2>> progress_writes;
  std::vector<Outcome> finishes;
  int gets = 0;
  std::function<void()> on_finish;  // runs before a finish is recorded
  int publishes = 0;

  Result<std::optional<Job>> claim(const ClaimRequest& req) override {
    claims.push_back(req);
    if (claim_error) return std::unexpected(*claim_error);
    if (!claimable) return std::optional<Job>{};
    claimable = false;
    job.state = JobState::Running;
    job.attempts++;
    return std::optional<Job>(job);
  }
  Result<bool> renew(JobId id, const Owner& owner, std::int64_t lease_ms) override {
    REQUIRE(id == job.id);
    REQUIRE(owner == claims.back().owner);
    renewals.push_back(lease_ms);
    return renew_answer;
  }
  Result<void> set_progress(JobId id, const Owner&, int done, int total) override {
    REQUIRE(id == job.id);
    progress_writes.push_back({done, total});
    return {};
  }
  std::vector<std::string> workers_set;
  Result<void> set_worker(JobId id, const Owner& owner, const std::string& worker) override {
    REQUIRE(id == job.id);
    REQUIRE(owner == claims.back().owner);
    workers_set.push_back(worker);
    return {};
  }
  Result<JobState> finish(JobId id, const Owner&, const Outcome& outcome) override {
    REQUIRE(id == job.id);
    if (finish_busy > 0) {
      --finish_busy;
      return fail(Errc::Busy, "busy");
    }
    if (finish_away > 0) {
      --finish_away;
      return fail(Errc::StoreUnavailable, "cannot connect to PostgreSQL");
    }
    if (on_finish) on_finish();
    if (finish_error) return fail(*finish_error, "refused");  // fenced: nothing is published
    finishes.push_back(outcome);
    // The stores' rule (tests/spool/claim_test.cpp): publish when the job
    // ends succeeded or canceled; a failed publish fails a success.
    const bool canceled = outcome.error_code == errc_name(Errc::Canceled);
    if (outcome.publish && (outcome.ok || canceled)) {
      ++publishes;
      if (Result<void> p = outcome.publish(); !p && outcome.ok) return JobState::Failed;
    }
    return outcome.ok ? JobState::Succeeded : canceled ? JobState::Canceled : JobState::Failed;
  }
  Result<Job> get(JobId id) override {
    REQUIRE(id == job.id);
    ++gets;
    return job;
  }
  std::vector<ClaimRequest> claims;

  // Not used by the runner.
  Result<JobId> submit(const NewJob&) override { return fail(Errc::Internal, "unused"); }
  Result<std::vector<JobId>> submit_batch(std::span<const NewJob>, std::size_t*) override {
    return fail(Errc::Internal, "unused");
  }
  Result<void> edit(JobId, const JobEdit&) override { return fail(Errc::Internal, "unused"); }
  Result<std::vector<Job>> list(const ListQuery&) override { return fail(Errc::Internal, "unused"); }
  Result<QueueCounts> counts() override { return fail(Errc::Internal, "unused"); }
  Result<CancelResult> cancel(JobId) override { return fail(Errc::Internal, "unused"); }
  Result<void> retry(JobId) override { return fail(Errc::Internal, "unused"); }
  Result<std::vector<JobId>> requeue_expired(std::int64_t, const std::function<bool(const Owner&)>&) override {
    return fail(Errc::Internal, "unused");
  }
  Result<std::vector<JobId>> purge(std::int64_t) override { return fail(Errc::Internal, "unused"); }
  Result<bool> paused() override { return false; }
  Result<void> set_paused(bool) override { return fail(Errc::Internal, "unused"); }
  Result<void> record_daemon(const DaemonRecord&) override { return fail(Errc::Internal, "unused"); }
  Result<void> remove_daemon(const Owner&) override { return fail(Errc::Internal, "unused"); }
  Result<DaemonRoster> daemons() override { return fail(Errc::Internal, "unused"); }
  Result<int> forget_daemons(std::int64_t) override { return fail(Errc::Internal, "unused"); }
  Result<std::int64_t> change_marker() override { return 0; }
  Result<std::int64_t> last_issued_id() override { return 0; }
  Result<std::vector<JobId>> existing(std::span<const JobId>) override { return fail(Errc::Internal, "unused"); }
};

class FakeHost final : public JobHost {
 public:
  std::string name = "box:4242";
  std::string dev = "llvmpipe";
  bool accept = true;
  std::vector<JobId> started;
  std::vector<fs::path> log_paths;
  int kills = 0;

  const std::string& worker() const override { return name; }
  const std::string& device() const override { return dev; }
  std::int64_t pid() const override { return 4242; }
  std::vector<std::string> stages;
  bool start(const Job& job, const fs::path& log_path, const std::string& stage) override {
    started.push_back(job.id);
    log_paths.push_back(log_path);
    stages.push_back(stage);
    return accept;
  }
  void kill() override { ++kills; }
};

struct Fixture {
  test::TempDir dir;
  FakeStore store;
  FakeClock clock;
  FakeHost host;
  JobRunnerEnv env{.store = store,
                   .clock = clock,
                   .owner = Owner{.host = "box", .boot_id = "b", .pid = 7},
                   .lease_ms = 30'000,
                   .heartbeat = milliseconds(500),
                   .default_timeout_ms = 0,
                   .prepare_log = [this](JobId id) { return dir.path / (std::to_string(id.value) + ".log"); }};

  Fixture() {
    store.job.id = JobId{12};
    store.job.max_attempts = 3;
    store.job.spec.output = (dir.path / "out.png").string();
  }

  JobRunner claim() {
    Result<std::optional<JobRunner>> run = JobRunner::claim(env, host);
    REQUIRE(run);
    REQUIRE(run->has_value());
    return std::move(**run);
  }

  std::string log_text() const {
    std::ifstream in(dir.path / "12.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

}  // namespace

TEST_CASE("a claim hands the job to the host and asks for the host's worker and device", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  REQUIRE(run.id() == JobId{12});
  REQUIRE(f.store.claims.size() == 1);
  CHECK(f.store.claims[0].owner == f.env.owner);
  CHECK(f.store.claims[0].worker == "box:4242");
  CHECK(f.store.claims[0].device == "llvmpipe");
  CHECK(f.store.claims[0].lease_ms == 30'000);
  REQUIRE(f.host.started == std::vector<JobId>{JobId{12}});
  CHECK(f.host.log_paths[0] == f.dir.path / "12.log");
  CHECK(f.log_text().find("attempt 1/3 started by worker box:4242 on llvmpipe") != std::string::npos);
  CHECK_FALSE(run.stopping());
}

TEST_CASE("a host restarted as another process is stored as the job's worker, once", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  run.host_restarted();  // the same process became ready again: nothing to store
  CHECK(f.store.workers_set.empty());
  f.host.name = "box:5151";  // restarted as the job's user
  run.host_restarted();
  run.host_restarted();
  CHECK(f.store.workers_set == std::vector<std::string>{"box:5151"});
  CHECK(f.log_text().find("now run by worker box:5151") != std::string::npos);
  CHECK_FALSE(run.stopping());
}

TEST_CASE("nothing claimable and a failing claim start nothing", "[daemon][job_runner]") {
  Fixture f;
  f.store.claimable = false;
  Result<std::optional<JobRunner>> none = JobRunner::claim(f.env, f.host);
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
  f.store.claim_error = Error{Errc::Busy, "busy"};
  Result<std::optional<JobRunner>> busy = JobRunner::claim(f.env, f.host);
  REQUIRE_FALSE(busy);
  CHECK(busy.error().code == Errc::Busy);
  CHECK(f.host.started.empty());
}

TEST_CASE("the lease is renewed every heartbeat, not before", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  CHECK(run.next_wakeup() == f.clock.now() + milliseconds(500));
  f.clock.advance(milliseconds(499));
  run.tick();
  CHECK(f.store.renewals.empty());
  f.clock.advance(milliseconds(1));
  run.tick();
  REQUIRE(f.store.renewals == std::vector<std::int64_t>{30'000});
  CHECK(run.next_wakeup() == f.clock.now() + milliseconds(500));
  for (int i = 0; i < 3; ++i) {
    f.clock.advance(milliseconds(500));
    run.tick();
  }
  CHECK(f.store.renewals.size() == 4);
  CHECK(f.host.kills == 0);
  CHECK_FALSE(run.stopping());
}

TEST_CASE("a lost lease kills the host and records no outcome", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  f.store.renew_answer = fail(Errc::LeaseLost, "requeued by another daemon");
  f.clock.advance(milliseconds(500));
  run.tick();
  CHECK(f.host.kills == 1);
  CHECK(run.stopping());
  CHECK(run.next_wakeup() == TimePoint::max());  // nothing more to renew
  // The worker's own Done after the kill does not count.
  CHECK_FALSE(run.on_done(12, Outcome{.ok = true}));
  CHECK_FALSE(run.host_exited("killed by signal 9 (Killed)"));
  CHECK(f.store.finishes.empty());
  CHECK(f.log_text().find("no longer holds the job's lease") != std::string::npos);
}

TEST_CASE("another renew error keeps the job running", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  f.store.renew_answer = fail(Errc::Busy, "busy");
  f.clock.advance(milliseconds(500));
  run.tick();
  CHECK(f.host.kills == 0);
  CHECK_FALSE(run.stopping());
}

TEST_CASE("a cancel seen by the heartbeat ends the job canceled once the host exited", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  f.store.renew_answer = true;
  f.clock.advance(milliseconds(500));
  run.tick();
  CHECK(f.host.kills == 1);
  CHECK(f.store.finishes.empty());  // kill, then release
  CHECK_FALSE(run.host_exited("killed by signal 9 (Killed)"));
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].error_code == errc_name(Errc::Canceled));
  CHECK_FALSE(f.store.finishes[0].retryable);
}

TEST_CASE("after a wake a requested cancel is acted on at once", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  run.check_cancel();  // nothing requested: one read, no renew
  CHECK(f.store.gets == 1);
  CHECK(f.store.renewals.empty());
  f.store.job.cancel_requested = true;
  f.store.renew_answer = true;
  run.check_cancel();
  CHECK(f.store.renewals.size() == 1);
  CHECK(f.host.kills == 1);
  run.check_cancel();  // already stopping: not read again
  CHECK(f.store.gets == 2);
}

TEST_CASE("the job's timeout kills the host and fails the job with timeout", "[daemon][job_runner]") {
  Fixture f;
  f.store.job.timeout_ms = 2'000;
  JobRunner run = f.claim();
  for (int i = 0; i < 3; ++i) {
    f.clock.advance(milliseconds(500));
    run.tick();
  }
  CHECK(f.host.kills == 0);
  CHECK(run.next_wakeup() == f.clock.now() + milliseconds(500));
  f.clock.advance(milliseconds(499));
  CHECK(run.next_wakeup() == f.clock.now() + milliseconds(1));  // the deadline, before the heartbeat
  f.clock.advance(milliseconds(1));
  run.tick();
  CHECK(f.host.kills == 1);
  CHECK_FALSE(run.host_exited("killed by signal 9 (Killed)"));
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].error_code == errc_name(Errc::Timeout));
  CHECK_FALSE(f.store.finishes[0].retryable);
}

TEST_CASE("the daemon's default timeout applies to a job without one, 0 means none", "[daemon][job_runner]") {
  Fixture f;
  f.env.default_timeout_ms = 1'000;
  JobRunner run = f.claim();
  f.clock.advance(milliseconds(1'000));
  run.tick();
  CHECK(f.host.kills == 1);

  Fixture g;
  g.env.default_timeout_ms = 0;
  JobRunner forever = g.claim();
  g.clock.advance(std::chrono::hours(24));
  forever.tick();
  CHECK(g.host.kills == 0);
}

TEST_CASE("a host that dies on its own is a retryable crash, its temporary files go first", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  fs::path tmp = f.dir.path / ".out.png.tmp-4242-0";
  std::ofstream(tmp) << "half an image";
  bool tmp_gone_at_finish = false;
  f.store.on_finish = [&] { tmp_gone_at_finish = !fs::exists(tmp); };
  CHECK(run.host_exited("killed by signal 11 (Segmentation fault)"));
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].error_code == errc_name(Errc::WorkerCrashed));
  CHECK(f.store.finishes[0].retryable);
  CHECK_FALSE(f.store.finishes[0].interrupted);
  CHECK(tmp_gone_at_finish);
}

TEST_CASE("a host that refuses the job is killed and settled as a crash", "[daemon][job_runner]") {
  Fixture f;
  f.host.accept = false;
  JobRunner run = f.claim();
  CHECK(f.host.kills == 1);
  CHECK(run.host_exited("killed by signal 9 (Killed)"));
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].error_code == errc_name(Errc::WorkerCrashed));
}

TEST_CASE("shutdown after the grace period requeues without counting the attempt", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  run.grace_over();
  CHECK(f.host.kills == 1);
  run.grace_over();  // once only
  CHECK(f.host.kills == 1);
  CHECK_FALSE(run.host_exited("killed by signal 9 (Killed)"));
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].interrupted);
  CHECK(f.store.finishes[0].retryable);
  CHECK(f.store.finishes[0].error_code == errc_name(Errc::Shutdown));
}

TEST_CASE("the first kill reason decides the outcome", "[daemon][job_runner]") {
  Fixture f;
  f.store.job.timeout_ms = 500;
  JobRunner run = f.claim();
  f.clock.advance(milliseconds(500));
  run.tick();                         // timeout
  run.kill(KillReason::Shutdown);     // a hard stop afterwards
  CHECK(f.host.kills == 2);
  run.host_exited("killed by signal 9 (Killed)");
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].error_code == errc_name(Errc::Timeout));
}

TEST_CASE("the host's outcome is stored, a Busy store is retried", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  CHECK_FALSE(run.on_done(99, Outcome{.ok = true}));  // another job's id
  std::ofstream(f.dir.path / ".out.png.stage-12-1-box-4242") << "the image";  // what the worker wrote
  f.store.finish_busy = 2;
  CHECK(run.on_done(12, Outcome{.ok = true}));
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].ok);
  CHECK(f.log_text().find("attempt 1 ended: succeeded") != std::string::npos);
}

TEST_CASE("progress is written at most every 250 ms, the last report rides on the finish", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  run.on_progress(12, 1, 4);  // the first one is due at once
  REQUIRE(f.store.progress_writes.size() == 1);
  f.clock.advance(milliseconds(100));
  run.on_progress(12, 2, 4);  // held back
  CHECK(f.store.progress_writes.size() == 1);
  CHECK(run.next_wakeup() == f.clock.now() + milliseconds(150));
  f.clock.advance(milliseconds(150));
  run.tick();
  REQUIRE(f.store.progress_writes.size() == 2);
  CHECK(f.store.progress_writes[1] == std::array<int, 2>{2, 4});
  run.on_progress(99, 3, 4);  // another job's report is ignored
  f.clock.advance(milliseconds(300));
  run.on_progress(12, 4, 4);  // the last frame: waits for the outcome
  CHECK(f.store.progress_writes.size() == 2);
  REQUIRE(run.on_done(12, Outcome{.ok = true}));
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].progress == std::array<int, 2>{4, 4});
}

TEST_CASE("a late last frame is written on its own when no outcome follows within 250 ms", "[daemon][job_runner]") {
  Fixture f;
  JobRunner run = f.claim();
  run.on_progress(12, 2, 2);
  CHECK(f.store.progress_writes.empty());
  f.clock.advance(milliseconds(250));
  run.tick();
  REQUIRE(f.store.progress_writes.size() == 1);
  REQUIRE(run.on_done(12, Outcome{.ok = true}));
  CHECK_FALSE(f.store.finishes[0].progress.has_value());  // nothing pending any more
}

// Staged outputs (daemon/staged_outputs.hpp): the worker writes under the
// attempt's tag; the store's finish publishes; everything else removes.
namespace {

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

ino_t inode_of(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A sequence of `frames` frames "f_<i>.png" in the fixture's folder.
void sequence(Fixture& f, int frames) {
  f.store.job.spec.frames = frames;
  f.store.job.spec.output = (f.dir.path / "f_%d.png").string();
}

fs::path staged(Fixture& f, const std::string& name, int attempt = 1) {
  return f.dir.path / ("." + name + ".stage-12-" + std::to_string(attempt) + "-box-4242");
}

}  // namespace

TEST_CASE("a render is started under its attempt's stage tag, a command under none", "[daemon][job_runner][staged]") {
  Fixture f;
  JobRunner run = f.claim();
  REQUIRE(f.host.stages == std::vector<std::string>{"12-1-box-4242"});

  Fixture g;
  g.store.job.exec = ExecSpec{.argv = {"true"}, .program = "/bin/true", .cwd = "/"};
  JobRunner cmd = g.claim();
  REQUIRE(g.host.stages == std::vector<std::string>{""});
  REQUIRE(cmd.on_done(12, Outcome{.ok = true}));
  CHECK(g.store.publishes == 0);
}

TEST_CASE("a succeeded attempt's files are published by the store's finish, not before", "[daemon][job_runner][staged]") {
  Fixture f;
  sequence(f, 3);
  JobRunner run = f.claim();
  for (int i = 0; i < 3; ++i) write(staged(f, "f_" + std::to_string(i) + ".png"), "frame " + std::to_string(i));
  bool final_before_finish = true;
  f.store.on_finish = [&] { final_before_finish = fs::exists(f.dir.path / "f_0.png"); };
  REQUIRE(run.on_done(12, Outcome{.ok = true}));
  CHECK_FALSE(final_before_finish);
  CHECK(f.store.publishes == 1);
  for (int i = 0; i < 3; ++i) {
    CHECK(read(f.dir.path / ("f_" + std::to_string(i) + ".png")) == "frame " + std::to_string(i));
    CHECK_FALSE(fs::exists(staged(f, "f_" + std::to_string(i) + ".png")));
  }
}

TEST_CASE("a fenced finish publishes nothing: the newer attempt's file stays and the staged ones go",
          "[daemon][job_runner][staged]") {
  Fixture f;
  JobRunner run = f.claim();
  write(f.dir.path / "out.png", "the newer attempt's image");
  const ino_t inode = inode_of(f.dir.path / "out.png");
  write(staged(f, "out.png"), "this stale attempt's image");
  f.store.finish_error = Errc::LeaseLost;
  REQUIRE(run.on_done(12, Outcome{.ok = true}));
  CHECK(read(f.dir.path / "out.png") == "the newer attempt's image");
  CHECK(inode_of(f.dir.path / "out.png") == inode);  // not replaced by a rename
  CHECK_FALSE(fs::exists(staged(f, "out.png")));
  CHECK(f.log_text().find("lease was lost; outcome dropped") != std::string::npos);
}

TEST_CASE("a lease lost at the heartbeat removes the staged files once the host exited", "[daemon][job_runner][staged]") {
  Fixture f;
  sequence(f, 2);
  JobRunner run = f.claim();
  write(staged(f, "f_0.png"), "x");
  write(f.dir.path / "f_0.png", "the newer attempt's frame");
  f.store.renew_answer = fail(Errc::LeaseLost, "requeued");
  f.clock.advance(milliseconds(500));
  run.tick();
  CHECK(fs::exists(staged(f, "f_0.png")));  // the host may still be writing: not before it exited
  CHECK_FALSE(run.host_exited("killed by signal 9 (Killed)"));
  CHECK_FALSE(fs::exists(staged(f, "f_0.png")));
  CHECK(read(f.dir.path / "f_0.png") == "the newer attempt's frame");
  CHECK(f.store.finishes.empty());
}

TEST_CASE("a cancel publishes the frames reported so far and removes the rest", "[daemon][job_runner][staged]") {
  Fixture f;
  sequence(f, 5);
  JobRunner run = f.claim();
  for (int i = 0; i < 3; ++i) write(staged(f, "f_" + std::to_string(i) + ".png"), "frame");
  run.on_progress(12, 2, 5);  // frame 2 is written but not yet reported in order
  f.store.renew_answer = true;
  f.clock.advance(milliseconds(500));
  run.tick();
  CHECK_FALSE(run.host_exited("killed by signal 9 (Killed)"));
  CHECK(f.store.publishes == 1);
  CHECK(fs::exists(f.dir.path / "f_0.png"));
  CHECK(fs::exists(f.dir.path / "f_1.png"));
  CHECK_FALSE(fs::exists(f.dir.path / "f_2.png"));
  for (int i = 0; i < 3; ++i) CHECK_FALSE(fs::exists(staged(f, "f_" + std::to_string(i) + ".png")));
}

TEST_CASE("failures, timeouts and shutdowns publish nothing and leave no staged file", "[daemon][job_runner][staged]") {
  for (int which = 0; which < 3; ++which) {
    Fixture f;
    f.store.job.timeout_ms = 500;
    JobRunner run = f.claim();
    write(staged(f, "out.png"), "x");
    if (which == 0) {
      REQUIRE(run.on_done(12, Outcome{.ok = false, .error_code = "scene_invalid"}));
    } else {
      if (which == 1) {
        f.clock.advance(milliseconds(500));
        run.tick();  // the timeout
      } else {
        run.grace_over();
      }
      run.host_exited("killed by signal 9 (Killed)");
    }
    CHECK(f.store.publishes == 0);
    CHECK_FALSE(fs::exists(staged(f, "out.png")));
    CHECK_FALSE(fs::exists(f.dir.path / "out.png"));
  }
}

TEST_CASE("a publish that fails fails the job and says why", "[daemon][job_runner][staged]") {
  Fixture f;
  JobRunner run = f.claim();  // no staged file: nothing to publish
  REQUIRE(run.on_done(12, Outcome{.ok = true}));
  CHECK(f.log_text().find("ended: failed (output_not_writable: cannot publish") != std::string::npos);
}

TEST_CASE("a later attempt removes the staged files earlier attempts left, of its job only", "[daemon][job_runner][staged]") {
  Fixture f;
  f.store.job.attempts = 2;  // claimed as attempt 3
  write(staged(f, "out.png", 1), "a dead host's");
  write(f.dir.path / ".out.png.stage-12-2-other-host-99", "a frozen host's");
  write(f.dir.path / ".out.png.stage-13-1-box-4242", "another job's");
  write(f.dir.path / ".out.png.tmp-4242-0", "a temporary file");
  JobRunner run = f.claim();
  CHECK_FALSE(fs::exists(staged(f, "out.png", 1)));
  CHECK_FALSE(fs::exists(f.dir.path / ".out.png.stage-12-2-other-host-99"));
  CHECK(fs::exists(f.dir.path / ".out.png.stage-13-1-box-4242"));
  CHECK(fs::exists(f.dir.path / ".out.png.tmp-4242-0"));
}

TEST_CASE("an outcome the store cannot take yet is kept, with its staged files, and stored when it is back",
          "[daemon][job_runner][staged]") {
  Fixture f;
  sequence(f, 2);
  JobRunner run = f.claim();
  for (int i = 0; i < 2; ++i) write(staged(f, "f_" + std::to_string(i) + ".png"), "frame " + std::to_string(i));
  f.store.finish_away = 2;  // the first try and the first retry
  REQUIRE(run.on_done(12, Outcome{.ok = true}));
  CHECK_FALSE(run.settled());
  CHECK(f.store.finishes.empty());
  CHECK(fs::exists(staged(f, "f_1.png")));  // kept for the retry
  CHECK(run.next_wakeup() == f.clock.now() + milliseconds(1000));
  CHECK_FALSE(run.on_done(12, Outcome{.ok = false}));  // nothing else ends it meanwhile
  f.clock.advance(milliseconds(999));
  run.tick();
  CHECK(f.store.finish_away == 1);  // not due yet
  f.clock.advance(milliseconds(1));
  run.tick();
  CHECK_FALSE(run.settled());
  f.clock.advance(milliseconds(1000));
  run.tick();
  REQUIRE(run.settled());
  REQUIRE(f.store.finishes.size() == 1);
  CHECK(f.store.finishes[0].ok);
  CHECK(f.store.publishes == 1);
  CHECK(read(f.dir.path / "f_1.png") == "frame 1");
  const std::string log = f.log_text();
  CHECK(log.find("its outcome waits for the queue") != std::string::npos);
  CHECK(log.find("attempt 1 ended: succeeded") != std::string::npos);
}

TEST_CASE("an outcome still refused when the lease ends is dropped, its staged files removed",
          "[daemon][job_runner][staged]") {
  Fixture f;
  JobRunner run = f.claim();
  f.clock.advance(milliseconds(10'000));
  run.tick();  // a renew the store took: the lease now ends 30 s from here
  REQUIRE(f.store.renewals.size() == 1);
  write(f.dir.path / ".out.png.stage-12-1-box-4242", "the image");
  f.store.finish_away = 1000;
  REQUIRE(run.on_done(12, Outcome{.ok = true}));
  for (int s = 0; s < 29 && !run.settled(); ++s) {
    f.clock.advance(milliseconds(1000));
    run.tick();
  }
  CHECK_FALSE(run.settled());  // 29 s: still within the lease
  f.clock.advance(milliseconds(1000));
  run.tick();
  CHECK(run.settled());
  CHECK(f.store.finishes.empty());
  CHECK_FALSE(fs::exists(f.dir.path / ".out.png.stage-12-1-box-4242"));
  CHECK_FALSE(fs::exists(f.dir.path / "out.png"));
}
