// ExecSpec: the one definition of "what command to run" for a command job
// (`renderq submit --exec -- CMD ARG...`). Filled by the CLI, stored as
// versioned JSON in the jobs row (sql/0003_exec_jobs.sql), and run by the
// daemon's exec host (daemon/exec_host.hpp) exactly as stored: no shell, the
// environment as given, nothing inherited from the daemon.
//
// Thread-safety: plain values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"

namespace renderq {

struct ExecSpec {
  static constexpr int kVersion = 1;

  std::vector<std::string> argv;           // argv[0] as the user typed it
  std::string program;                     // absolute path argv[0] resolved to at submit
  std::string cwd;                         // absolute working directory
  std::map<std::string, std::string> env;  // the whole environment of the command

  bool operator==(const ExecSpec&) const = default;
};

// Checks the values without touching the filesystem: a non-empty argv, an
// absolute program and cwd, names without '=' , no NUL bytes, valid UTF-8
// everywhere (the spec is stored as JSON). Errc::InvalidArgument.
Result<void> validate_values(const ExecSpec& spec);

// Resolves `command` like execvp(3) with `path` (the PATH to search) and
// relative names against `cwd`: a name with a '/' is taken as it is, else
// each PATH entry is tried ("" = cwd). The result is an absolute path to a
// regular file we may execute (X_OK). Errc::CommandNotFound naming it.
Result<std::string> find_executable(std::string_view command, std::string_view path, const std::string& cwd);

// The environment a job gets by default: PATH HOME USER LANG TZ and every
// LC_* of `environ` (those set).
std::map<std::string, std::string> safe_environment(char** environ);
// Every variable of `environ`.
std::map<std::string, std::string> whole_environment(char** environ);

// A command as a user asks for it (CLI flags, a --batch line): resolved into
// an ExecSpec by resolve_exec.
struct ExecRequest {
  std::vector<std::string> argv;
  std::string cwd;                     // "" = the current folder; relative = from it
  std::vector<std::string> env_pairs;  // NAME=VALUE, applied last
  bool env_all = false;                // the whole environment instead of the safe set
};

// The command job's spec: argv, the working folder (it must exist:
// Errc::CwdMissing), the environment (safe_environment or whole_environment
// of `environ`, then each pair; a pair without '=' is InvalidArgument) and
// the program argv[0] resolves to with that environment's PATH
// (Errc::CommandNotFound). Runs validate_values.
Result<ExecSpec> resolve_exec(const ExecRequest& request, char** environ);

// Versioned JSON: {"version":1,"argv":[...],"program":"...","cwd":"...",
// "env":{...}}. from_json rejects unknown keys, wrong types and a newer
// version with Errc::InvalidArgument naming the field, then runs
// validate_values.
nlohmann::json to_json(const ExecSpec& spec);
Result<ExecSpec> exec_spec_from_json(const nlohmann::json& j);

}  // namespace renderq
