// Times as users type them for --not-before.
#include <stdlib.h>
#include <time.h>

#include <catch2/catch.hpp>
#include <string>

#include "core/time_spec.hpp"

using namespace renderq;

namespace {

// Runs the test body in a fixed zone (CET: UTC+1 in winter, +2 in summer),
// so local times are checked against known answers; restores TZ after.
struct Zone {
  std::string old;
  bool had = false;
  explicit Zone(const char* tz) {
    if (const char* o = getenv("TZ")) {
      old = o;
      had = true;
    }
    setenv("TZ", tz, 1);
    tzset();
  }
  ~Zone() {
    if (had) setenv("TZ", old.c_str(), 1); else unsetenv("TZ");
    tzset();
  }
};

constexpr std::int64_t kNow = 1'796'400'000'000;  // 2026-12-04T16:00:00Z, 17:00 CET
constexpr std::int64_t k0300Z = 1'796'439'600'000;  // 2026-12-05T03:00:00Z

}  // namespace

TEST_CASE("now and offsets from now", "[time_spec]") {
  CHECK(parse_time_spec("now", kNow).value() == kNow);
  CHECK(parse_time_spec("+90s", kNow).value() == kNow + 90'000);
  CHECK(parse_time_spec("+1h30m", kNow).value() == kNow + 5'400'000);
  CHECK(parse_time_spec("+", kNow).error().code == Errc::BadDuration);
  CHECK(parse_time_spec("+-5m", kNow).error().code == Errc::BadDuration);
}

TEST_CASE("dates and times with and without a zone", "[time_spec]") {
  Zone z("CET-1CEST,M3.5.0,M10.5.0/3");
  CHECK(parse_time_spec("2026-12-05T03:00:00Z", kNow).value() == k0300Z);
  CHECK(parse_time_spec("2026-12-05T04:00+01:00", kNow).value() == k0300Z);
  CHECK(parse_time_spec("2026-12-04T22:00-05:00", kNow).value() == k0300Z);
  CHECK(parse_time_spec("2026-12-05T04:00", kNow).value() == k0300Z);  // local, CET
  CHECK(parse_time_spec("2026-12-05 04:00:00", kNow).value() == k0300Z);
  CHECK(parse_time_spec("2026-12-05", kNow).value() == 1'796'425'200'000);        // local midnight
  CHECK(parse_time_spec("2026-07-01T12:00", kNow).value() == 1'782'900'000'000);  // CEST, +2
}

TEST_CASE("a clock time is the next one", "[time_spec]") {
  Zone z("CET-1CEST,M3.5.0,M10.5.0/3");
  CHECK(parse_time_spec("18:30", kNow).value() == kNow + 90 * 60'000);
  CHECK(parse_time_spec("17:00:01", kNow).value() == kNow + 1'000);
  CHECK(parse_time_spec("16:00", kNow).value() == kNow + 23 * 3'600'000);  // passed: tomorrow
  CHECK(parse_time_spec("17:00", kNow).value() == kNow + 24 * 3'600'000);  // now: tomorrow
}

TEST_CASE("anything else is a named error", "[time_spec]") {
  for (const char* bad : {"", "tomorrow", "25:00", "12:60", "2026-13-01", "2026-02-31", "2026-12-05T", "2026-12-05T3:00",
                          "2026-12-05T03:00Zx", "2026-12-05T03:00+1", "12:00 ", "2026/12/05", "1796400000"}) {
    CAPTURE(bad);
    auto r = parse_time_spec(bad, kNow);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::BadDuration);
  }
}
