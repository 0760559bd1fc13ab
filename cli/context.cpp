#include "cli/context.hpp"

#include <cstdio>
#include <string>

namespace renderq {

Result<Spool> Context::open_spool(bool create) const {
  return Spool::open(SpoolOptions{.dir = resolve_spool_dir(spool_flag), .allow_network_fs = force, .create = create});
}

void diag(std::string_view message) {
  std::string line = "renderq: ";
  line.append(message);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

int report(const Error& error) {
  diag(error.message());
  return code(exit_for(error));
}

}  // namespace renderq
