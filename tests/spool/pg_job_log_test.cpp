// Job logs in a PostgreSQL queue (spool/pg_job_log.hpp): chunks from log
// files on several hosts, copied again after a crash, read from any offset.
#include <catch2/catch.hpp>

#include "spool/pg_job_log.hpp"
#include "spool/pg_queue.hpp"
#include "spool_test_support.hpp"

using namespace renderq;
using namespace renderq::test;

namespace {

std::string read_all(PgConn& c, JobId id, std::int64_t from, std::int64_t* end = nullptr) {
  std::string out;
  Result<std::int64_t> e = pg_read_log(c, id, from, [&](std::string_view b) { out += b; });
  REQUIRE(e.has_value());
  if (end) *end = *e;
  return out;
}

}  // namespace

TEST_CASE("pg job log: chunks read back in order from any offset, binary bytes intact", "[pg][job_log]") {
  auto q = PgQueue::open(PgServer::instance().fresh_url());
  REQUIRE(q.has_value());
  PgConn& c = (*q)->pg_store().connection();
  const JobId id = (*q)->store().submit(job()).value();
  CHECK(read_all(c, id, 0).empty());
  const std::string bin("\x00\xff\n\x80", 4);
  REQUIRE(pg_append_log(c, id, "h1:a", 0, "hello ").has_value());
  REQUIRE(pg_append_log(c, id, "h1:a", 6, bin).has_value());
  REQUIRE(pg_append_log(c, id, "h2:b", 0, "world").has_value());
  std::int64_t end = 0;
  CHECK(read_all(c, id, 0, &end) == "hello " + bin + "world");
  CHECK(end == 15);
  CHECK(read_all(c, id, 8) == bin.substr(2) + "world");
  CHECK(read_all(c, id, 15).empty());
  CHECK(pg_log_source_end(c, id, "h1:a").value() == 10);
  CHECK(pg_log_source_end(c, id, "h2:b").value() == 5);
  CHECK(pg_log_source_end(c, id, "h3:c").value() == 0);
}

TEST_CASE("pg job log: a range copied again after a crash is stored once", "[pg][job_log]") {
  auto q = PgQueue::open(PgServer::instance().fresh_url());
  REQUIRE(q.has_value());
  PgConn& c = (*q)->pg_store().connection();
  const JobId id = (*q)->store().submit(job()).value();
  REQUIRE(pg_append_log(c, id, "h1:a", 0, "attempt 1 ended: succeeded\n").has_value());
  REQUIRE(pg_append_log(c, id, "h1:a", 0, "attempt 1 ended: succeeded\n").has_value());
  CHECK(read_all(c, id, 0) == "attempt 1 ended: succeeded\n");
}

TEST_CASE("pg job log: a purged job's log goes with it, appending to it is job_not_found", "[pg][job_log]") {
  auto q = PgQueue::open(PgServer::instance().fresh_url());
  REQUIRE(q.has_value());
  PgConn& c = (*q)->pg_store().connection();
  const JobId id = (*q)->store().submit(job()).value();
  REQUIRE(pg_append_log(c, id, "h1:a", 0, "line\n").has_value());
  REQUIRE((*q)->store().cancel(id).has_value());
  REQUIRE((*q)->store().purge(std::numeric_limits<std::int64_t>::max()).value().size() == 1);
  CHECK(read_all(c, id, 0).empty());
  CHECK(pg_append_log(c, id, "h1:a", 5, "more\n").error().code == Errc::JobNotFound);
}
