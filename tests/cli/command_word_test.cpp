#include <catch2/catch.hpp>

#include <initializer_list>
#include <string_view>
#include <vector>

#include "cli/command_word.hpp"

namespace {

std::string_view word(std::initializer_list<const char*> args) {
  static std::vector<const char*> argv;
  argv.assign({"renderq"});
  argv.insert(argv.end(), args);
  return renderq::command_word(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("the command word skips the global options and their values", "[cli]") {
  CHECK(word({"submit", "a.glb"}) == "submit");
  CHECK(word({"--spool", "submit", "status", "1"}) == "status");  // a spool folder named "submit"
  CHECK(word({"--spool=/tmp/q", "--force", "list"}) == "list");
  CHECK(word({"--config", "c.toml", "--config=d.toml", "wait", "3"}) == "wait");
  CHECK(word({"daemon", "--spool", "x"}) == "daemon");
}

TEST_CASE("no command word when another option comes first or none is given", "[cli]") {
  CHECK(word({}).empty());
  CHECK(word({"--help"}).empty());
  CHECK(word({"--version", "submit"}).empty());
  CHECK(word({"-h"}).empty());
  CHECK(word({"--spool"}).empty());  // the value is missing: the parser reports it
  CHECK(word({"--bogus", "submit"}).empty());
}
