#include "spool/owner.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace renderq {

Owner current_owner() {
  Owner o;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) o.host = host;
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::getline(in, o.boot_id);
  o.pid = static_cast<std::int64_t>(::getpid());
  return o;
}

bool owner_alive_here(const Owner& owner, const Owner& self) {
  if (owner.host != self.host) return true;
  if (!owner.boot_id.empty() && !self.boot_id.empty() && owner.boot_id != self.boot_id) return false;
  if (owner.pid <= 0) return false;
  if (::kill(static_cast<pid_t>(owner.pid), 0) == 0) return true;
  return errno == EPERM;  // exists, owned by someone else
}

}  // namespace renderq
