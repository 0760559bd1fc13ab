#include "core/unique_fd.hpp"

#include <unistd.h>

namespace renderq {

void UniqueFd::reset(int fd) noexcept {
  // close(2) is not retried on EINTR: on Linux the descriptor is released
  // whatever close reports, and a retry could close someone else's.
  if (fd_ >= 0 && fd_ != fd) ::close(fd_);
  fd_ = fd;
}

}  // namespace renderq
