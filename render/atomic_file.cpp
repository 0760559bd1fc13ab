#include "render/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace renderq {

namespace {

// Writes all of `bytes` to `fd` and closes it; on failure removes `file`.
Result<void> write_and_close(int fd, const std::string& file, const std::string& path,
                             std::span<const std::uint8_t> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      ::close(fd);
      ::unlink(file.c_str());
      return fail(Errc::OutputNotWritable, "writing '" + path + "': " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(file.c_str());
    return fail(Errc::OutputNotWritable, "writing '" + path + "': " + std::strerror(err));
  }
  return {};
}

}  // namespace

Result<void> write_file(const std::string& path, std::span<const std::uint8_t> bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return fail(Errc::OutputNotWritable, "cannot create '" + path + "': " + std::strerror(errno));
  return write_and_close(fd, path, path, bytes);
}

Result<void> write_file_atomic(const std::string& path, std::span<const std::uint8_t> bytes) {
  namespace fs = std::filesystem;
  fs::path target(path);
  // A fresh name in the target's folder (rename is atomic only within one
  // file system); O_EXCL so two writers never share it, mode 0666 so the
  // umask applies as for any file (mkstemp would give 0600).
  static std::atomic<unsigned> counter{0};
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    tmp = (target.parent_path() / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(counter.fetch_add(1))))
              .string();
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return fail(Errc::OutputNotWritable, "cannot create a file beside '" + path + "': " + std::strerror(errno));
  if (auto ok = write_and_close(fd, tmp, path, bytes); !ok) return ok;
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    ::unlink(tmp.c_str());
    return fail(Errc::OutputNotWritable, "renaming onto '" + path + "': " + ec.message());
  }
  return {};
}

}  // namespace renderq
