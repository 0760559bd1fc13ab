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
  if (S_ISLNK(mode)) return "a symbolic link";
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

std::expected<OpenedInput, InputFileError> open_input_file(const std::string& path, bool follow_symlink) {
  struct stat st {};
  if ((follow_symlink ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st)) != 0) return problem_from_errno(errno);
  if (!S_ISREG(st.st_mode)) return std::unexpected(InputFileError{InputProblem::NotRegular, kind_of(st.st_mode)});
  const int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (follow_symlink ? 0 : O_NOFOLLOW);
  UniqueFd fd(::open(path.c_str(), flags));
  if (!fd) {
    if (errno == ELOOP && !follow_symlink) return std::unexpected(InputFileError{InputProblem::NotRegular, "a symbolic link"});
    return problem_from_errno(errno);
  }
  if (::fstat(fd.get(), &st) != 0) return problem_from_errno(errno);
  if (!S_ISREG(st.st_mode)) return std::unexpected(InputFileError{InputProblem::NotRegular, kind_of(st.st_mode)});
  return OpenedInput{std::move(fd), static_cast<std::uint64_t>(st.st_size)};
}

std::expected<std::vector<std::uint8_t>, InputFileError> read_input_file(const OpenedInput& file, std::uint64_t bytes) {
  std::vector<std::uint8_t> data(static_cast<std::size_t>(bytes));
  std::size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::pread(file.fd.get(), data.data() + got, data.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return problem_from_errno(errno);
    if (n == 0) return std::unexpected(InputFileError{InputProblem::Unreadable, "the file shrank while being read"});
    got += static_cast<std::size_t>(n);
  }
  return data;
}

}  // namespace renderq
