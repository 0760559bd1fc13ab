#include "core/exec_spec.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>


using renderq::Errc;
using renderq::ExecSpec;

namespace {

ExecSpec sample() {
  return ExecSpec{.argv = {"echo", "a b", "ü"}, .program = "/bin/echo", .cwd = "/tmp", .env = {{"PATH", "/bin"}, {"X", "1=2"}}};
}

}  // namespace

TEST_CASE("exec spec: JSON round trip") {
  ExecSpec s = sample();
  auto back = renderq::exec_spec_from_json(renderq::to_json(s));
  REQUIRE(back);
  CHECK(*back == s);
  CHECK(renderq::to_json(s)["version"] == ExecSpec::kVersion);
}

TEST_CASE("exec spec: from_json rejects unknown keys, wrong types, newer versions, bad values") {
  nlohmann::json j = renderq::to_json(sample());
  auto code = [](const nlohmann::json& x) { return renderq::exec_spec_from_json(x).error().code; };
  nlohmann::json k = j;
  k["shell"] = true;
  CHECK(code(k) == Errc::InvalidArgument);
  nlohmann::json t = j;
  t["argv"] = "echo hi";
  CHECK(code(t) == Errc::InvalidArgument);
  nlohmann::json v = j;
  v["version"] = ExecSpec::kVersion + 1;
  CHECK(code(v) == Errc::InvalidArgument);
  nlohmann::json e = j;
  e["argv"] = nlohmann::json::array();
  CHECK(code(e) == Errc::InvalidArgument);
  nlohmann::json r = j;
  r["cwd"] = "relative";
  CHECK(code(r) == Errc::InvalidArgument);
  nlohmann::json n = j;
  n["env"]["A=B"] = "x";
  CHECK(code(n) == Errc::InvalidArgument);
}

TEST_CASE("exec spec: NUL bytes and invalid UTF-8 are refused") {
  ExecSpec s = sample();
  s.argv.push_back(std::string("a\0b", 3));
  CHECK(renderq::validate_values(s).error().code == Errc::InvalidArgument);
  s = sample();
  s.argv.push_back("\xff\xfe");
  CHECK(renderq::validate_values(s).error().code == Errc::InvalidArgument);
  s = sample();
  s.env.insert_or_assign("V", std::string(1, static_cast<char>(0xc3)));  // a truncated two-byte sequence
  CHECK(renderq::validate_values(s).error().code == Errc::InvalidArgument);
  CHECK(renderq::validate_values(sample()));
}

TEST_CASE("exec spec: find_executable searches PATH like execvp") {
  auto sh = renderq::find_executable("sh", "/nonexistent:/usr/bin:/bin", "/");
  REQUIRE(sh);
  CHECK(sh->front() == '/');
  CHECK(renderq::find_executable("sh", "/nonexistent", "/").error().code == Errc::CommandNotFound);
  CHECK(renderq::find_executable("/bin/sh", "", "/"));
  CHECK(renderq::find_executable("/etc/passwd", "", "/").error().code == Errc::CommandNotFound);  // not X_OK
  CHECK(renderq::find_executable("/tmp", "", "/").error().code == Errc::CommandNotFound);           // a folder
  CHECK(*renderq::find_executable("bin/sh", "", "/") == "/bin/sh");                                  // relative to cwd
}

TEST_CASE("exec spec: the safe environment keeps PATH HOME USER LANG TZ LC_* only") {
  char a[] = "PATH=/bin", b[] = "SECRET=x", c[] = "LC_ALL=C", d[] = "TZ=UTC", e[] = "LD_PRELOAD=/x.so";
  char* env[] = {a, b, c, d, e, nullptr};
  auto safe = renderq::safe_environment(env);
  CHECK(safe.size() == 3);
  CHECK(safe.count("SECRET") == 0);
  CHECK(safe.at("LC_ALL") == "C");
  CHECK(renderq::whole_environment(env).size() == 5);
}
