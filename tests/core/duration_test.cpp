#include <catch2/catch.hpp>

#include "core/duration.hpp"

using renderq::Errc;
using renderq::Millis;
using renderq::parse_duration;

TEST_CASE("durations parse in the units users type", "[duration]") {
  CHECK(parse_duration("250ms").value() == Millis(250));
  CHECK(parse_duration("30s").value() == Millis(30'000));
  CHECK(parse_duration("30").value() == Millis(30'000));
  CHECK(parse_duration("5m").value() == Millis(300'000));
  CHECK(parse_duration("1h30m").value() == Millis(5'400'000));
  CHECK(parse_duration("2d").value() == Millis(172'800'000));
  CHECK(parse_duration("1.5s").value() == Millis(1500));
}

TEST_CASE("bad durations are named errors", "[duration]") {
  for (const char* bad : {"", "-5s", "5x", "s", "abc", "1..2s", "99999999999999999d"}) {
    INFO(bad);
    auto r = parse_duration(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::BadDuration);
  }
}

TEST_CASE("durations format compactly", "[duration]") {
  CHECK(renderq::format_duration(Millis(250)) == "250ms");
  CHECK(renderq::format_duration(Millis(1500)) == "1.5s");
  CHECK(renderq::format_duration(Millis(5'400'000)) == "1h30m");
}
