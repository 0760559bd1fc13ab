#include "core/unique_fd.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

using renderq::UniqueFd;

namespace {

bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

int open_null() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

}  // namespace

TEST_CASE("a UniqueFd closes its descriptor when destroyed", "[core][unique_fd]") {
  int raw = open_null();
  REQUIRE(raw >= 0);
  {
    UniqueFd fd(raw);
    REQUIRE(fd.valid());
    REQUIRE(fd.get() == raw);
  }
  REQUIRE_FALSE(is_open(raw));
}

TEST_CASE("moving a UniqueFd transfers ownership, the source holds nothing", "[core][unique_fd]") {
  int raw = open_null();
  UniqueFd a(raw);
  UniqueFd b(std::move(a));
  REQUIRE_FALSE(a.valid());  // NOLINT(bugprone-use-after-move): the moved-from state is the contract
  REQUIRE(a.get() == -1);
  REQUIRE(b.get() == raw);
  int other = open_null();
  UniqueFd c(other);
  c = std::move(b);  // closes what c held
  REQUIRE_FALSE(is_open(other));
  REQUIRE(c.get() == raw);
  REQUIRE(is_open(raw));
}

TEST_CASE("reset closes the old descriptor and release gives it up", "[core][unique_fd]") {
  int first = open_null();
  int second = open_null();
  UniqueFd fd(first);
  fd.reset(second);
  REQUIRE_FALSE(is_open(first));
  REQUIRE(fd.get() == second);
  fd.reset(second);  // resetting to the same descriptor keeps it open
  REQUIRE(is_open(second));
  int raw = fd.release();
  REQUIRE(raw == second);
  REQUIRE_FALSE(fd.valid());
  REQUIRE(is_open(raw));  // released, so not closed
  ::close(raw);
  UniqueFd empty;
  empty.reset();  // nothing held: nothing closed
  REQUIRE_FALSE(static_cast<bool>(empty));
}
