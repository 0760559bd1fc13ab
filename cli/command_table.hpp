// The subcommands one executable runs itself. Two tables built from the one
// list in cli/commands.def, one linked into each executable
// (cli/CMakeLists.txt):
//   cli/commands_all.cpp    renderq-full: every subcommand.
//   cli/commands_queue.cpp  renderq, the one people type: the queue
//       commands only (submit, status, list, wait, ...), so that it links
//       SQLite and the command line but not the renderer, the daemon, the
//       HTTP server or the preview window, and starts in about the time of
//       a hello world. Every other command line (daemon, render, --help, a
//       typo) runs in renderq-full (cli/full_exec.hpp).
#pragma once

#include <span>
#include <string_view>

#include "cli/commands.hpp"
#include "core/user_db.hpp"

namespace renderq {

struct Command {
  std::string_view name;  // as typed; the add function declares the same name
  AddCommand add;
};

// In the order `renderq --help` lists them.
std::span<const Command> own_commands();

// True in renderq, whose command lines outside own_commands() run in renderq-full.
bool hands_others_to_full();

// How this executable opens a PostgreSQL queue (Context::open_pg):
// renderq-full connects; renderq, which does not link libpq, re-runs the
// command line in renderq-full (the SQLite spool keeps its fast path).
PgOpener pg_opener();

// Where this executable reads user accounts (core/user_db.hpp): renderq is
// linked statically, so /etc/passwd alone; renderq-full, the C library's NSS.
UserSource user_source();

}  // namespace renderq
