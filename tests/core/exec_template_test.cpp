// Named command templates: parsed from the config, instantiated from typed
// parameters, never through a shell.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/exec_template.hpp"

using namespace renderq;
using nlohmann::json;

namespace {

ExecTemplate blender() {
  return exec_template_from_json("blender", json::parse(R"({
      "argv": ["blender", "-b", "{scene}", "-o", "/out/f_", "-f", "{frame}", "--preset={quality}"],
      "cwd": "/srv",
      "params": {"scene": {"type": "file"}, "frame": {"type": "int", "min": 1, "max": 250},
                 "quality": {"type": "enum", "values": ["draft", "final"]}}})"))
      .value();
}

FileResolver any_file() {
  return [](const std::string&, const std::string& v) -> Result<std::string> { return "/root/" + v; };
}

Errc error_of(const std::map<std::string, json>& values) {
  auto r = instantiate(blender(), values, any_file());
  REQUIRE_FALSE(r.has_value());
  return r.error().code;
}

}  // namespace

TEST_CASE("a template substitutes each parameter into its argv elements", "[exec_template]") {
  const ExecTemplate t = blender();
  CHECK(t.cwd == "/srv");
  CHECK(t.params.size() == 3);
  auto argv = instantiate(t, {{"scene", "a.blend"}, {"frame", 12}, {"quality", "final"}}, any_file());
  REQUIRE(argv.has_value());
  CHECK(*argv == std::vector<std::string>{"blender", "-b", "/root/a.blend", "-o", "/out/f_", "-f", "12", "--preset=final"});
  // The CLI passes every value as text.
  CHECK(instantiate(t, {{"scene", "a.blend"}, {"frame", "250"}, {"quality", "draft"}}, any_file()).value()[6] == "250");
}

TEST_CASE("values are checked by type", "[exec_template]") {
  const std::map<std::string, json> ok = {{"scene", "a.blend"}, {"frame", 1}, {"quality", "draft"}};
  auto with = [&](const char* k, json v) {
    auto m = ok;
    m[k] = std::move(v);
    return m;
  };
  CHECK(error_of(with("frame", 0)) == Errc::InvalidArgument);
  CHECK(error_of(with("frame", 251)) == Errc::InvalidArgument);
  CHECK(error_of(with("frame", "12abc")) == Errc::InvalidArgument);
  CHECK(error_of(with("frame", "")) == Errc::InvalidArgument);
  CHECK(error_of(with("quality", "best")) == Errc::InvalidArgument);
  CHECK(error_of(with("quality", 1)) == Errc::InvalidArgument);
  for (const char* evil : {"a;rm -rf /", "$(id)", "a`id`", "a|b", "a&b", "a>b", "a\nb", "a'b", "a\"b", "a\\b", "~/x"})
    CHECK(error_of(with("scene", evil)) == Errc::InvalidArgument);
  CHECK(error_of(with("extra", 1)) == Errc::InvalidArgument);
  auto missing = ok;
  missing.erase("frame");
  CHECK(error_of(missing) == Errc::InvalidArgument);
  // The resolver's verdict stands.
  auto refuse = [](const std::string&, const std::string&) -> Result<std::string> {
    return fail(Errc::PermissionDenied, "outside");
  };
  CHECK(instantiate(blender(), ok, refuse).error().code == Errc::PermissionDenied);
}

TEST_CASE("a template the config gets wrong is a config error", "[exec_template]") {
  for (const char* bad : {
           R"({"argv": []})",
           R"({"argv": "blender"})",
           R"({"argv": ["{prog}"], "params": {"prog": {"type": "file"}}})",          // the program itself
           R"({"argv": ["x", "{a}"]})",                                                 // undefined
           R"({"argv": ["x"], "params": {"a": {"type": "int"}}})",                      // unused
           R"({"argv": ["x", "{a}"], "params": {"a": {"type": "text"}}})",              // no free text
           R"({"argv": ["x", "{a}"], "params": {"a": {"type": "int", "min": 5, "max": 1}}})",
           R"({"argv": ["x", "{a}"], "params": {"a": {"type": "enum", "values": []}}})",
           R"({"argv": ["x", "{a}"], "params": {"a": {"type": "enum", "values": ["a b"]}}})",
           R"({"argv": ["x", "{a}"], "params": {"a": {"type": "file", "max": 3}}})",
           R"({"argv": ["x"], "cwd": "relative"})",
           R"({"argv": ["x"], "shell": true})"}) {
    CAPTURE(bad);
    auto t = exec_template_from_json("t", json::parse(bad));
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error().code == Errc::ConfigInvalid);
  }
  CHECK(exec_template_from_json("bad name", json::parse(R"({"argv": ["x"]})")).error().code == Errc::ConfigInvalid);
}
