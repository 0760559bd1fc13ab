#include "daemon/exec_host.hpp"

#include <catch2/catch.hpp>

using renderq::parse_progress_line;

TEST_CASE("exec host: progress lines are N/M with 0 <= N <= M, M > 0") {
  CHECK(parse_progress_line("3/10") == std::pair{3, 10});
  CHECK(parse_progress_line("10/10\r") == std::pair{10, 10});
  CHECK(parse_progress_line("0/1") == std::pair{0, 1});
  CHECK_FALSE(parse_progress_line("11/10"));
  CHECK_FALSE(parse_progress_line("3/0"));
  CHECK_FALSE(parse_progress_line("-1/4"));
  CHECK_FALSE(parse_progress_line("3 / 10"));
  CHECK_FALSE(parse_progress_line("3/10 frames"));
  CHECK_FALSE(parse_progress_line("/10"));
  CHECK_FALSE(parse_progress_line("99999999999/99999999999"));
  CHECK_FALSE(parse_progress_line(""));
}
