#include "cli/context.hpp"

#include "core/journal_log.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace renderq {

Result<Spool> Context::open_spool(bool create) const {
  // A path the user typed (--spool, $RENDERQ_SPOOL) is created one level
  // deep at most, so a typo fails instead of growing a new queue somewhere;
  // the default XDG location is created with its parents.
  const bool typed = !spool_flag.empty() || (std::getenv("RENDERQ_SPOOL") && *std::getenv("RENDERQ_SPOOL"));
  return Spool::open(SpoolOptions{.dir = resolve_spool_dir(spool_flag),
                                  .allow_network_fs = force,
                                  .create = create,
                                  .create_parents = !typed,
                                  .fs_probe = {}});
}

// Through log_line so that under systemd each line gets a journald priority.
void diag(std::string_view message) { log_line(LogLevel::Warning, message); }

int report(const Error& error) {
  log_line(LogLevel::Error, error.message());
  return code(exit_for(error));
}

}  // namespace renderq
