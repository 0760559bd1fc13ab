// Context: what every subcommand shares: the global options (--spool,
// --force), the way to open the spool, and the one diagnostic printer.
//
// Thread-safety: used from main's thread only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/exit_codes.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "spool/spool.hpp"

namespace renderq {

struct Context {
  std::string spool_flag;   // --spool DIR
  bool force = false;       // --force: accept a spool on a network file system
  int exit_code = 0;        // set by the subcommand that ran
  std::string config_flag;  // --config FILE (read before parsing, see cli/config_apply.hpp)
  Config config;            // effective settings: defaults < file < environment < flags
  std::vector<std::string> argv;  // the whole command line, for exec_renderq_full

  Result<Spool> open_spool(bool create = true) const;
};

// Prints "renderq: <message>" on stderr: the only path for diagnostics.
void diag(std::string_view message);

// Prints the error and returns its exit code.
int report(const Error& error);

}  // namespace renderq
