#include "core/exec_spec.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "core/utf8.hpp"

namespace renderq {

namespace {

bool executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string join(const std::string& dir, std::string_view name) {
  std::string out = dir;
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append(name);
  return out;
}

}  // namespace

Result<void> validate_values(const ExecSpec& s) {
  if (s.argv.empty() || s.argv.front().empty()) return fail(Errc::InvalidArgument, "the command is empty");
  for (const std::string& a : s.argv)
    if (Result<void> r = check_text("an argument", a); !r) return r;
  if (s.program.empty() || s.program.front() != '/')
    return fail(Errc::InvalidArgument, "the program path must be absolute: '" + s.program + "'");
  if (Result<void> r = check_text("the program path", s.program); !r) return r;
  if (s.cwd.empty() || s.cwd.front() != '/')
    return fail(Errc::InvalidArgument, "the working directory must be absolute: '" + s.cwd + "'");
  if (Result<void> r = check_text("the working directory", s.cwd); !r) return r;
  for (const auto& [k, v] : s.env) {
    if (k.empty() || k.find('=') != std::string::npos)
      return fail(Errc::InvalidArgument, "bad environment variable name '" + k + "'");
    if (Result<void> r = check_text("environment variable " + printable_text(k), k + v); !r) return r;
  }
  return {};
}

Result<std::string> find_executable(std::string_view command, std::string_view path, const std::string& cwd) {
  if (command.empty()) return fail(Errc::CommandNotFound, "the command is empty");
  if (command.find('/') != std::string_view::npos) {
    std::string p = command.front() == '/' ? std::string(command) : join(cwd, command);
    if (executable_file(p)) return p;
    return fail(Errc::CommandNotFound, "'" + std::string(command) + "' is not an executable file");
  }
  std::size_t pos = 0;
  for (;;) {
    std::size_t end = path.find(':', pos);
    std::string dir(path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (dir.empty()) dir = cwd;
    else if (dir.front() != '/') dir = join(cwd, dir);
    std::string p = join(dir, command);
    if (executable_file(p)) return p;
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return fail(Errc::CommandNotFound, "'" + std::string(command) + "' not found in PATH (" + std::string(path) + ")");
}

std::map<std::string, std::string> whole_environment(char** environ_) {
  std::map<std::string, std::string> out;
  for (char** e = environ_; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (!eq || eq == *e) continue;
    out.emplace(std::string(*e, static_cast<std::size_t>(eq - *e)), std::string(eq + 1));
  }
  return out;
}

std::map<std::string, std::string> safe_environment(char** environ_) {
  static const std::set<std::string> names = {"PATH", "HOME", "USER", "LANG", "TZ"};
  std::map<std::string, std::string> out;
  for (auto& [k, v] : whole_environment(environ_))
    if (names.count(k) || k.rfind("LC_", 0) == 0) out.emplace(k, v);
  return out;
}

nlohmann::json to_json(const ExecSpec& s) {
  return {{"version", ExecSpec::kVersion}, {"argv", s.argv}, {"program", s.program}, {"cwd", s.cwd}, {"env", s.env}};
}

Result<ExecSpec> exec_spec_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return fail(Errc::InvalidArgument, "exec spec must be a JSON object");
  static const std::set<std::string> known = {"version", "argv", "program", "cwd", "env"};
  for (const auto& [key, value] : j.items())
    if (!known.count(key)) return fail(Errc::InvalidArgument, "unknown field '" + key + "'");
  auto bad = [](const char* key, const char* want) {
    return fail(Errc::InvalidArgument, std::string("field '") + key + "' must be " + want);
  };
  if (!j.contains("version") || !j["version"].is_number_integer()) return bad("version", "an integer");
  if (j["version"].get<long long>() > ExecSpec::kVersion)
    return fail(Errc::InvalidArgument, "exec spec version " + std::to_string(j["version"].get<long long>()) +
                                           " is newer than this renderq understands (" +
                                           std::to_string(ExecSpec::kVersion) + ")");
  ExecSpec s;
  if (!j.contains("argv") || !j["argv"].is_array()) return bad("argv", "an array of strings");
  for (const auto& a : j["argv"]) {
    if (!a.is_string()) return bad("argv", "an array of strings");
    s.argv.push_back(a.get<std::string>());
  }
  if (!j.contains("program") || !j["program"].is_string()) return bad("program", "a string");
  s.program = j["program"].get<std::string>();
  if (!j.contains("cwd") || !j["cwd"].is_string()) return bad("cwd", "a string");
  s.cwd = j["cwd"].get<std::string>();
  if (j.contains("env")) {
    if (!j["env"].is_object()) return bad("env", "an object of strings");
    for (const auto& [k, v] : j["env"].items()) {
      if (!v.is_string()) return bad("env", "an object of strings");
      s.env.emplace(k, v.get<std::string>());
    }
  }
  if (Result<void> r = validate_values(s); !r) return std::unexpected(r.error());
  return s;
}

Result<ExecSpec> resolve_exec(const ExecRequest& request, char** environ) {
  namespace fs = std::filesystem;
  if (request.argv.empty()) return fail(Errc::InvalidArgument, "a command job needs a command (argv)");
  ExecSpec e;
  e.argv = request.argv;
  std::error_code ec;
  fs::path cwd = request.cwd.empty() ? fs::current_path(ec) : fs::absolute(request.cwd, ec);
  if (ec || !fs::is_directory(cwd, ec)) {
    const std::string shown = "working directory '" + (request.cwd.empty() ? cwd.string() : request.cwd) + "'";
    std::error_code exists_ec;
    return fail(Errc::CwdMissing, shown + (!ec && fs::exists(cwd, exists_ec) ? " is not a folder" : " does not exist"));
  }
  e.cwd = cwd.lexically_normal().string();
  if (e.cwd.size() > 1 && e.cwd.back() == '/') e.cwd.pop_back();
  e.env = request.env_all ? whole_environment(environ) : safe_environment(environ);
  for (const std::string& kv : request.env_pairs) {
    std::size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return fail(Errc::InvalidArgument, "--env takes NAME=VALUE: '" + kv + "'");
    e.env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  auto path = e.env.find("PATH");
  Result<std::string> program =
      find_executable(e.argv.front(), path != e.env.end() ? path->second : "/usr/local/bin:/usr/bin:/bin", e.cwd);
  if (!program) return std::unexpected(program.error());
  e.program = std::move(*program);
  if (Result<void> ok = validate_values(e); !ok) return std::unexpected(ok.error());
  return e;
}

}  // namespace renderq
