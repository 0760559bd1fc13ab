// NewJob::place_files: the hook Store::submit runs inside its transaction
// once the id is known (the HTTP server uses it to keep uploads and outputs
// in the job's folder).
#include <catch2/catch.hpp>

#include "tests/spool/spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

TEST_CASE("place_files sees the new id and may rewrite the stored spec", "[store][place_files]") {
  StoreFixture f;
  NewJob j = job();
  std::optional<JobId> seen;
  j.place_files = [&](JobId id, RenderSpec& spec) -> Result<void> {
    seen = id;
    spec.output = "/spool/jobs/" + std::to_string(id.value) + "/output.png";
    return {};
  };
  auto id = f.store->submit(j);
  REQUIRE(id);
  REQUIRE(seen);
  CHECK(*seen == *id);
  auto stored = f.store->get(*id);
  REQUIRE(stored);
  CHECK(stored->spec.output == "/spool/jobs/" + std::to_string(id->value) + "/output.png");
  CHECK(stored->spec.scene == j.spec.scene);
}

TEST_CASE("a failing place_files stores nothing", "[store][place_files]") {
  StoreFixture f;
  NewJob j = job();
  j.place_files = [](JobId, RenderSpec&) -> Result<void> { return fail(Errc::Io, "disk full"); };
  auto id = f.store->submit(j);
  REQUIRE_FALSE(id);
  CHECK(id.error().code == Errc::Io);
  auto counts = f.store->counts();
  REQUIRE(counts);
  CHECK(counts->queued == 0);
  // A hook that breaks the spec's values is refused the same way.
  j.place_files = [](JobId, RenderSpec& spec) -> Result<void> {
    spec.width = 0;
    return {};
  };
  CHECK(f.store->submit(j).error().code == Errc::SizeOutOfRange);
  CHECK(f.store->counts()->queued == 0);
  CHECK(f.store->submit(job()));  // the store is fine afterwards
}
