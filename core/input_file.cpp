#include "core/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace renderq {

namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::unexpected<InputFileError> problem_from_errno(int err) {
  const InputProblem p = err == ENOENT || err == ENOTDIR ? InputProblem::Missing : InputProblem::Unreadable;
  return std::unexpected(InputFileError{p, std::strerror(err)});
}

}  // namespace

std::expected<std::string, InputFileError> read_file_head(const std::string& path, std::size_t max) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return problem_from_errno(errno);
  if (!S_ISREG(st.st_mode)) return std::unexpected(InputFileError{InputProblem::NotRegular, kind_of(st.st_mode)});
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return problem_from_errno(errno);
  std::string head;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return std::unexpected(InputFileError{InputProblem::NotRegular, kind_of(st.st_mode)});
  }
  head.resize(max);
  std::size_t got = 0;
  while (got < max) {
    const ssize_t n = ::read(fd, head.data() + got, max - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return problem_from_errno(err);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  head.resize(got);
  return head;
}

}  // namespace renderq
