#include "cli/spool_group.hpp"

#include <sys/stat.h>
#include <unistd.h>

namespace renderq::spool_group {

namespace {
std::optional<gid_t> g_saved;  // the set-group-id group, when there was one
bool g_raised = false;
}  // namespace

void lower_at_start() {
  const gid_t real = ::getgid();
  const gid_t effective = ::getegid();
  if (effective == real) return;
  g_saved = effective;
  // Keep it as the saved set-group-id (setegid can take it back later).
  if (::setresgid(real, real, effective) != 0) ::_exit(126);  // cannot act as the caller: never go on
}

bool raise_for(const std::filesystem::path& dir) {
  if (!g_saved) return false;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_gid != *g_saved) return false;
  if (::setresgid(static_cast<gid_t>(-1), *g_saved, static_cast<gid_t>(-1)) != 0) return false;
  // What the helper creates in the spool (a -wal, the wake FIFO) stays
  // usable by the daemon's group whatever the caller's umask.
  ::umask(0007);
  g_raised = true;
  return true;
}

bool raised() { return g_raised; }

void drop_for_good() {
  if (!g_saved) return;
  const gid_t real = ::getgid();
  if (::setresgid(real, real, real) != 0) ::_exit(126);
  g_saved.reset();
  g_raised = false;
}

}  // namespace renderq::spool_group
