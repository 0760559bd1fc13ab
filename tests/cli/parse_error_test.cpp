#include "cli/parse_error.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace renderq {
namespace {

// Parses `args` with a small tree like renderq's; returns the message.
std::string message_for(std::vector<std::string> args) {
  CLI::App app{"test", "renderq"};
  std::string spool;
  app.add_option("--spool", spool)->type_name("DIR");
  app.require_subcommand(1);
  app.fallthrough();
  CLI::App* submit = app.add_subcommand("submit", "");
  std::string scene, size;
  std::vector<std::int64_t> after;
  submit->add_option("scene", scene)->required()->type_name("SCENE");
  submit->add_option("--size", size)->type_name("WxH");
  submit->add_option("--after", after)->type_name("ID");
  std::vector<const char*> argv{"renderq"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return describe_parse_error(app, e);
  }
  return "";
}

TEST_CASE("closest_word suggests plausible typos only") {
  const std::vector<std::string> options{"--size", "--samples", "--spool", "--scene"};
  CHECK(closest_word("--sise", options) == "--size");
  CHECK(closest_word("--sampels", options) == "--samples");
  CHECK(closest_word("--colour", options).empty());
  CHECK(closest_word("-x", options).empty());
}

TEST_CASE("a mistyped option names the command and suggests the option") {
  const std::string m = message_for({"submit", "box.glb", "--sise", "512x512"});
  CHECK(m.find("unknown option '--sise' for `renderq submit`") != std::string::npos);
  CHECK(m.find("did you mean --size?") != std::string::npos);
  CHECK(m.find("The following") == std::string::npos);
}

TEST_CASE("an unknown option with no near match points at --help") {
  const std::string m = message_for({"submit", "box.glb", "--frobnicate"});
  CHECK(m.find("unknown option '--frobnicate'") != std::string::npos);
  CHECK(m.find("renderq submit --help") != std::string::npos);
}

TEST_CASE("an extra positional argument is named") {
  const std::string m = message_for({"submit", "box.glb", "other.glb"});
  CHECK(m.find("unexpected argument 'other.glb' for `renderq submit`") != std::string::npos);
}

TEST_CASE("a value of the wrong type names the option, the value and the type") {
  const std::string m = message_for({"submit", "box.glb", "--after", "12x"});
  CHECK(m.find("--after: '12x' is not a valid job id") != std::string::npos);
  CHECK(m.find("Could not convert") == std::string::npos);
}

TEST_CASE("a missing required positional is named by its type") {
  const std::string m = message_for({"submit"});
  CHECK(m.find("`renderq submit` needs SCENE") != std::string::npos);
}

}  // namespace
}  // namespace renderq
