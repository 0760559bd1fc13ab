#include <catch2/catch.hpp>

#include <string>

#include "serve/limits.hpp"

using namespace renderq;
using namespace renderq::serve;

TEST_CASE("json_depth counts nesting outside strings", "[serve][limits]") {
  CHECK(json_depth("{}", 10) == 1);
  CHECK(json_depth(R"({"a":[{"b":[]}]})", 10) == 4);
  CHECK(json_depth(R"({"a":"[[[[{{{{"})", 10) == 1);
  CHECK(json_depth(R"({"a":"\"[[["})", 10) == 1);
  CHECK(json_depth(std::string(100000, '['), 16) == 17);  // stops early
}

TEST_CASE("parse_json_limited answers size, depth and syntax with distinct codes", "[serve][limits]") {
  JsonLimits lim{.max_bytes = 100, .max_depth = 3};
  CHECK(parse_json_limited(R"({"a":1})", lim, "body"));
  auto big = parse_json_limited(std::string(101, ' '), lim, "body");
  CHECK(big.error().status == 413);
  CHECK(big.error().code == "payload_too_large");
  auto deep = parse_json_limited("[[[[1]]]]", lim, "body");
  CHECK(deep.error().status == 400);
  CHECK(deep.error().code == "json_too_deep");
  for (const char* bad : {"{", "{\"a\":}", "", "nul", "{\"a\":1,}", "{\"a\":\"\xff\"}"}) {
    auto r = parse_json_limited(bad, lim, "body");
    REQUIRE_FALSE(r);
    CHECK(r.error().status == 400);
    CHECK(r.error().code == "bad_json");
  }
}

TEST_CASE("ClientQuota admits up to the limit and frees slots as jobs leave the queue", "[serve][limits]") {
  ClientQuota quota(2);
  std::vector<std::int64_t> queued;
  auto still = [&](JobId id) { return std::find(queued.begin(), queued.end(), id.value) != queued.end(); };
  {
    auto t1 = quota.admit("a", still);
    REQUIRE(t1);
    t1->commit(JobId{1});
    queued.push_back(1);
  }
  {
    auto t2 = quota.admit("a", still);
    REQUIRE(t2);
    // While t2 is pending, its slot counts: a third request is refused.
    auto t3 = quota.admit("a", still);
    REQUIRE_FALSE(t3);
    CHECK(t3.error().status == 429);
    CHECK(t3.error().code == "too_many_queued");
    // Another client is not affected.
    CHECK(quota.admit("b", still));
    t2->commit(JobId{2});
    queued.push_back(2);
  }
  CHECK_FALSE(quota.admit("a", still));
  queued.erase(queued.begin());  // job 1 started running
  CHECK(quota.admit("a", still));
}

TEST_CASE("an abandoned ClientQuota ticket gives its slot back", "[serve][limits]") {
  ClientQuota quota(1);
  auto never = [](JobId) { return true; };
  { auto t = quota.admit("a", never); REQUIRE(t); }  // the store refused the job
  CHECK(quota.admit("a", never));
}
