// Context: what every subcommand shares: the global options (--store,
// --spool, --force), the way to open the queue, and the one diagnostic
// printer.
//
// Thread-safety: used from main's thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/exit_codes.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "spool/queue.hpp"
#include "spool/spool.hpp"

namespace CLI {
class App;
}

namespace renderq {

// Which queue the command line, environment and config file name, and
// where that choice came from (for `renderq config`).
struct StoreChoice {
  std::string text;     // a postgresql:// URL, or the spool folder
  bool pg = false;      // is_pg_url(text)
  ConfigSource source = ConfigSource::Default;
  std::string origin;   // "--store", "RENDERQ_STORE", "path:line", "" (default)
};

struct Context;
// Opens a PostgreSQL queue. Set by main from cli/command_table.hpp:
// renderq-full connects; renderq (which does not link libpq) re-runs the
// command line in renderq-full and returns only when that fails.
using PgOpener = std::function<Result<std::unique_ptr<Queue>>(const Context&, const std::string& url)>;

struct Context {
  std::string store_flag;   // --store URL|DIR (or $RENDERQ_STORE, `store =`)
  std::string spool_flag;   // --spool DIR
  bool force = false;       // --force: accept a spool on a network file system
  int exit_code = 0;        // set by the subcommand that ran
  std::string config_flag;  // --config FILE (read before parsing, see cli/config_apply.hpp)
  Config config;            // effective settings: defaults < file < environment < flags
  std::vector<std::string> argv;  // the whole command line, for exec_renderq_full
  const CLI::App* root = nullptr;  // the parsed command line: which flags were typed
  PgOpener open_pg;                // null: PostgreSQL queues are refused

  // The queue named by --store / --spool, $RENDERQ_STORE / $RENDERQ_SPOOL,
  // or the config file's spool.store / spool.dir: of the two keys the one
  // set at the higher level (flag > environment > file) wins, spool.store
  // on a tie; neither set: the default spool folder. Errc::InvalidArgument
  // when --store and --spool are both typed.
  Result<StoreChoice> store_choice() const;
  // Opens the chosen queue: a PostgreSQL database through open_pg, else the
  // spool folder (created when `create`; Errc::NotFound when it is missing
  // and !create).
  Result<std::unique_ptr<Queue>> open_queue(bool create = true) const;
  // The spool folder, for the commands that only work on one.
  Result<Spool> open_spool(bool create = true) const;
};

// Prints "renderq: <message>" on stderr: the only path for diagnostics.
void diag(std::string_view message);

// Prints the error and returns its exit code.
int report(const Error& error);

}  // namespace renderq
