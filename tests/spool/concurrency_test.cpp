// Many processes on one spool: 8 submitters x 500 jobs while 2 claimers
// claim and finish. Every id must be unique, every job claimed exactly once,
// and no process may see an error (no "database is locked").
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "spool/spool.hpp"
#include "spool_test_support.hpp"

extern char** environ;

using namespace renderq;
using namespace renderq::test;

namespace {

struct Child {
  pid_t pid = -1;
  std::filesystem::path out, err;
};

Child spawn_driver(const std::vector<std::string>& args, const std::filesystem::path& dir, const std::string& tag) {
  Child c{.out = dir / (tag + ".out"), .err = dir / (tag + ".err")};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, c.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, c.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> all{SPOOL_STRESS_DRIVER};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int rc = posix_spawn(&c.pid, SPOOL_STRESS_DRIVER, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(rc == 0);
  return c;
}

int wait_exit(const Child& c) {
  int status = 0;
  REQUIRE(::waitpid(c.pid, &status, 0) == c.pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::int64_t> read_ids(const std::filesystem::path& p) {
  std::vector<std::int64_t> ids;
  std::ifstream in(p);
  for (std::int64_t id; in >> id;) ids.push_back(id);
  return ids;
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("8 submitters x 500 jobs and 2 claimers: unique ids, each job claimed once, no errors",
          "[spool][concurrency]") {
  constexpr int kSubmitters = 8, kPerSubmitter = 500, kClaimers = 2;
  TempDir t;
  const std::filesystem::path spool = t.path() / "spool";  // not created yet: the first opens race too
  const std::filesystem::path done = t.path() / "submitters-done";

  std::vector<Child> claimers, submitters;
  for (int i = 0; i < kClaimers; ++i)
    claimers.push_back(spawn_driver({"claim", spool.string(), done.string()}, t.path(), "claimer" + std::to_string(i)));
  for (int i = 0; i < kSubmitters; ++i)
    submitters.push_back(spawn_driver({"submit", spool.string(), std::to_string(kPerSubmitter)}, t.path(),
                                      "submitter" + std::to_string(i)));

  std::vector<std::int64_t> submitted;
  for (const Child& c : submitters) {
    const int rc = wait_exit(c);
    INFO("submitter stderr: " << read_text(c.err));
    CHECK(rc == 0);
    CHECK(read_text(c.err).empty());
    const std::vector<std::int64_t> ids = read_ids(c.out);
    CHECK(ids.size() == kPerSubmitter);
    submitted.insert(submitted.end(), ids.begin(), ids.end());
  }
  std::ofstream(done).put('\n');

  std::vector<std::int64_t> claimed;
  for (const Child& c : claimers) {
    const int rc = wait_exit(c);
    INFO("claimer stderr: " << read_text(c.err));
    CHECK(rc == 0);
    CHECK(read_text(c.err).empty());
    const std::vector<std::int64_t> ids = read_ids(c.out);
    claimed.insert(claimed.end(), ids.begin(), ids.end());
  }

  std::sort(submitted.begin(), submitted.end());
  std::sort(claimed.begin(), claimed.end());
  CHECK(submitted.size() == kSubmitters * kPerSubmitter);
  CHECK(std::adjacent_find(submitted.begin(), submitted.end()) == submitted.end());  // unique ids
  CHECK(claimed == submitted);  // each claimed exactly once, none missed

  Result<Spool> s = Spool::open(SpoolOptions{.dir = spool.string(), .create = false});
  REQUIRE(s.has_value());
  const QueueCounts c = s->store().counts().value();
  CHECK(c.succeeded == kSubmitters * kPerSubmitter);
  CHECK(c.queued + c.running + c.failed + c.canceled == 0);
  const std::vector<Job> recent = s->store().list({.limit = 50}).value();
  for (const Job& j : recent) CHECK(j.attempts == 1);
}
