// check_new_jobs: what every store checks before it stores jobs, and what
// submit runs before it opens the queue.
#include <catch2/catch.hpp>

#include "spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

namespace {

Errc refused(const NewJob& j) {
  std::size_t failed = 99;
  const NewJob jobs[] = {job(), j};
  auto ok = check_new_jobs(jobs, &failed);
  REQUIRE_FALSE(ok);
  CHECK(failed == 1);
  return ok.error().code;
}

}  // namespace

// A name or label with bad bytes was stored, and then every `list --json`
// of the spool failed (nlohmann::json cannot dump it).
TEST_CASE("a job's strings must be valid UTF-8", "[job][utf8]") {
  NewJob ok = job();
  ok.name = "caf\xc3\xa9";
  ok.labels["shot"] = "\xe2\x82\xac";
  CHECK(check_new_jobs(std::span<const NewJob>(&ok, 1), nullptr));

  NewJob n = job();
  n.name = "x\xff";
  CHECK(refused(n) == Errc::InvalidArgument);
  n = job();
  n.labels["k"] = "\xff";
  CHECK(refused(n) == Errc::InvalidArgument);
  n = job();
  n.spec.scene = "/x/caf\xe9.glb";
  CHECK(refused(n) == Errc::InvalidArgument);
  n = job();
  n.spec.output = "/x/caf\xe9.png";
  CHECK(refused(n) == Errc::InvalidArgument);
  n = job();
  n.spec.environment = "/x/caf\xe9.hdr";
  CHECK(refused(n) == Errc::InvalidArgument);
  n = job();
  n.exec = ExecSpec{.argv = {"true", "\xc0\xaf"}, .program = "/bin/true", .cwd = "/"};
  CHECK(refused(n) == Errc::InvalidArgument);
}

TEST_CASE("a job name is held to its bounds wherever it comes from", "[job]") {
  CHECK(check_job_name("--name", std::string(kMaxNameBytes, 'a')));
  CHECK(check_job_name("--name", std::string(kMaxNameBytes + 1, 'a')).error().code == Errc::InvalidArgument);
  CHECK(check_job_name("--name", "a\tb").error().code == Errc::InvalidArgument);
  NewJob n = job();
  n.name = std::string(kMaxNameBytes + 1, 'a');
  CHECK(refused(n) == Errc::InvalidArgument);
  n.name = "line\nbreak";
  CHECK(refused(n) == Errc::InvalidArgument);
}

TEST_CASE("a store never stores a job with bad bytes", "[job][utf8][store]") {
  StoreFixture f;
  NewJob n = job();
  n.name = "x\xff";
  CHECK(f.store->submit(n).error().code == Errc::InvalidArgument);
  n = job();
  n.labels["k"] = "\xff";
  CHECK(f.store->submit(n).error().code == Errc::InvalidArgument);
  CHECK(f.store->list({}).value().empty());
}
