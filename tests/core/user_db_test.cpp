#include "core/user_db.hpp"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <thread>

namespace renderq {
namespace {

TEST_CASE("parse_user reads an account name, else a uid", "[user_db]") {
  CHECK(parse_user("root").value() == 0);
  CHECK(parse_user("0").value() == 0);
  const auto me = static_cast<std::int64_t>(::getuid());
  const std::string my_name = user_name(me);
  if (!my_name.empty()) CHECK(parse_user(my_name).value() == me);
  CHECK(parse_user(std::to_string(me)).value() == me);
  // A uid no account holds is still a uid (another host's submitter).
  CHECK(parse_user("4000000000").value() == 4'000'000'000);
}

TEST_CASE("parse_user refuses what is neither a name nor a uid", "[user_db]") {
  for (const char* bad : {"", "renderq-no-such-user", "12abc", "-1", "+5", " 5", "4294967295", "4294967296",
                          "99999999999999999999"}) {
    INFO(bad);
    CHECK(parse_user(bad).error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("user_label names a uid without an account by its number", "[user_db]") {
  CHECK(user_name(0) == "root");
  CHECK(user_label(0) == "root");
  CHECK(user_name(4'000'000'000) == "");
  CHECK(user_label(4'000'000'000) == "uid 4000000000");
}

TEST_CASE("the files source reads /etc/passwd as NSS would, without NSS", "[user_db]") {
  // Names NSS and /etc/passwd agree on (root is in the files on every host;
  // uid 4000000000 in neither), asked on a fresh thread so that the
  // per-thread cache holds nothing from NSS.
  set_user_source(UserSource::Files);
  std::thread([] {
    CHECK(user_name(0) == "root");
    CHECK(user_name(4'000'000'000) == "");
    CHECK(parse_user("root").value() == 0);
    CHECK(parse_user("renderq-no-such-user").error().code == Errc::InvalidArgument);
    CHECK(parse_user("4000000000").value() == 4'000'000'000);
  }).join();
  set_user_source(UserSource::Nss);
}

}  // namespace
}  // namespace renderq
