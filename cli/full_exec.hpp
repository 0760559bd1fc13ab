// Running a command in renderq-full: the same renderq with every subsystem
// linked in. The `renderq` that people type links only what the queue
// commands need (the spool, SQLite, the command line), so that a submit
// does not spend its time loading and initialising libraries it never uses
// (cpp-httplib pulls in OpenSSL, which reads its config file at load);
// commands that need them (serve) re-run the whole command line in
// renderq-full with exec, so the process, its pid, environment, signals and
// exit code stay the same.
//
// Thread-safety: call from main's thread, before any other thread exists.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace renderq {

// Where renderq-full is: beside the running executable (the build tree),
// else at RENDERQ_FULL_RELATIVE from its folder (installed: the libexec
// folder). Errc::Io, naming the places looked at, when neither exists.
Result<std::filesystem::path> find_renderq_full();

// Replaces this process with renderq-full run with `argv` (argv[0] kept).
// Returns only on failure (Errc::Io): renderq-full is missing or exec failed.
Error exec_renderq_full(const std::vector<std::string>& argv);

}  // namespace renderq
