#include "cli/context.hpp"

#include "core/journal_log.hpp"

#include <cstdio>
#include <string>

namespace renderq {

Result<Spool> Context::open_spool(bool create) const {
  return Spool::open(SpoolOptions{.dir = resolve_spool_dir(spool_flag), .allow_network_fs = force, .create = create});
}

// Through log_line so that under systemd each line gets a journald priority.
void diag(std::string_view message) { log_line(LogLevel::Warning, message); }

int report(const Error& error) {
  log_line(LogLevel::Error, error.message());
  return code(exit_for(error));
}

}  // namespace renderq
