#include "spool/name_glob.hpp"

#include <catch2/catch.hpp>

namespace renderq {
namespace {

TEST_CASE("glob_to_regex keeps GLOB's meaning in a POSIX regex", "[name_glob]") {
  CHECK(glob_to_regex("").empty());
  CHECK(glob_to_regex("a*") == "^a.*$");
  CHECK(glob_to_regex("a?c") == "^a.c$");
  CHECK(glob_to_regex("a.b+(c)") == "^a\\.b\\+\\(c\\)$");
  CHECK(glob_to_regex("x[12]") == "^x[12]$");
  CHECK(glob_to_regex("x[^1]") == "^x[^1]$");
  CHECK(glob_to_regex("x[]a]") == "^x[\\]a]$");
  CHECK(glob_to_regex("x[") == "^x\\[$");
}

}  // namespace
}  // namespace renderq
