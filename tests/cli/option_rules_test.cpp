#include "cli/option_rules.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/render_options.hpp"

namespace renderq {
namespace {

TEST_CASE("a job id is decimal digits from 1 to INT64_MAX") {
  CHECK(parse_job_id("1")->value == 1);
  CHECK(parse_job_id("010")->value == 10);  // decimal, not octal
  CHECK(parse_job_id("9223372036854775807")->value == INT64_MAX);
  for (const char* bad : {"", "0", "000", "0x9", "0b1", "+3", "-3", " 3", "3 ", "3.0", "1e3", "9223372036854775808",
                          "99999999999999999999", "seven", "1,2"}) {
    CAPTURE(bad);
    REQUIRE_FALSE(parse_job_id(bad));
    CHECK(parse_job_id(bad).error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("a job id list is ids separated by single commas") {
  auto ids = parse_job_id_list("3,010,2");
  REQUIRE(ids);
  CHECK(*ids == std::vector<JobId>{JobId{3}, JobId{10}, JobId{2}});
  for (const char* bad : {"", ",", "1,,2", ",1", "1,", "1, 2", "1,x"}) {
    CAPTURE(bad);
    REQUIRE_FALSE(parse_job_id_list(bad));
    CHECK(parse_job_id_list(bad).error().code == Errc::InvalidArgument);
  }
}

TEST_CASE("a whole number is read as decimal and given back in CLI11's decimal form") {
  CHECK(*canonical_decimal("16") == "16");
  CHECK(*canonical_decimal("010") == "10");
  CHECK(*canonical_decimal("-05") == "-5");
  CHECK(*canonical_decimal("0") == "0");
  CHECK(*canonical_decimal("-0") == "0");
  CHECK(*canonical_decimal("08") == "8");  // not a bad octal number
  for (const char* bad : {"", "-", "0x10", "+3", " 3", "3 ", "1.5", "1e3", "--3", "99999999999999999999"}) {
    CAPTURE(bad);
    REQUIRE_FALSE(canonical_decimal(bad));
    CHECK(canonical_decimal(bad).error().code == Errc::InvalidArgument);
  }
}

// renderq's queue commands plus the render options, as main declares them;
// no subcommand callback runs (nothing touches a spool).
struct Cli {
  Context ctx;
  RenderOptionValues render;
  CLI::App app{"test", "renderq"};
  explicit Cli(bool rules) {
    app.fallthrough();
#define QUEUE_COMMAND(name, add) add(app, ctx);
#define FULL_COMMAND(name, add)
#include "cli/commands.def"
#undef QUEUE_COMMAND
#undef FULL_COMMAND
    add_render_options(*app.add_subcommand("render", ""), render);
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) sub->callback([] {});
    if (rules) apply_option_rules(app);
  }
};

enum class Outcome { Parsed, Conversion, Validation, Other };

// Parses `renderq SUB NAME VALUE`; errors other than the value's own (a
// missing required SCENE) count as parsed: the value was taken.
Outcome parse_one(bool rules, const std::string& sub, const std::string& name, const std::string& value) {
  Cli cli(rules);
  std::vector<std::string> args{"renderq", sub, name, value};
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    cli.app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ConversionError&) {
    return Outcome::Conversion;
  } catch (const CLI::ValidationError&) {
    return Outcome::Validation;
  } catch (const CLI::ParseError&) {
    return Outcome::Other;
  }
  return Outcome::Parsed;
}

struct NamedOption {
  std::string sub, name;
};

std::vector<NamedOption> value_options() {
  Cli cli(false);
  std::vector<NamedOption> out;
  for (CLI::App* sub : cli.app.get_subcommands([](CLI::App*) { return true; }))
    for (const CLI::Option* o : sub->get_options())
      if (!o->get_positional() && o->get_type_size_max() > 0 && o->get_expected_min() > 0)
        out.push_back({sub->get_name(), o->get_lnames().empty() ? "-" + o->get_snames().front()
                                                                  : "--" + o->get_lnames().front()});
  return out;
}

TEST_CASE("every option that takes a value refuses an empty one") {
  const std::vector<NamedOption> options = value_options();
  REQUIRE(options.size() > 30);
  for (const NamedOption& o : options) {
    CAPTURE(o.sub, o.name);
    CHECK(parse_one(true, o.sub, o.name, "") == Outcome::Validation);
  }
}

TEST_CASE("every whole-number option reads decimal only") {
  int whole_numbers = 0;
  for (const NamedOption& o : value_options()) {
    // A whole number: CLI11 alone takes 7 but neither 7.5 nor seven.
    if (parse_one(false, o.sub, o.name, "7") == Outcome::Conversion ||
        parse_one(false, o.sub, o.name, "7.5") != Outcome::Conversion ||
        parse_one(false, o.sub, o.name, "seven") != Outcome::Conversion)
      continue;
    ++whole_numbers;
    CAPTURE(o.sub, o.name);
    CHECK(parse_one(true, o.sub, o.name, "7") != Outcome::Validation);
    CHECK(parse_one(true, o.sub, o.name, "08") != Outcome::Validation);  // an octal reading refuses 08
    for (const char* bad : {"0x10", "+7", " 7", "99999999999999999999"}) {
      CAPTURE(bad);
      CHECK(parse_one(true, o.sub, o.name, bad) == Outcome::Validation);
    }
  }
  CHECK(whole_numbers >= 8);  // --samples --frames --png-level ... --priority --retries --limit
}

}  // namespace
}  // namespace renderq
