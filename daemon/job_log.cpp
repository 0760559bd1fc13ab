#include "daemon/job_log.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace renderq {

std::string log_timestamp(std::int64_t unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(unix_ms % 1000));
  return buf;
}

Result<JobLog> JobLog::open(const std::filesystem::path& path) {
  // Read and write: line() reads the last byte to end a command's unfinished line.
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  if (!fd) return fail(Errc::Io, "cannot open " + path.string() + ": " + std::strerror(errno));
  return JobLog(std::move(fd));
}

void JobLog::line(std::string_view who, std::string_view text) const noexcept {
  if (!fd_) return;
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  std::int64_t ms = static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
  std::string out;
  // A command's output without a final newline: the daemon's line starts on
  // a line of its own.
  struct stat st {};
  char last = '\n';
  if (::fstat(fd_.get(), &st) == 0 && st.st_size > 0 && ::pread(fd_.get(), &last, 1, st.st_size - 1) == 1 &&
      last != '\n')
    out.push_back('\n');
  out += log_timestamp(ms);
  out.push_back(' ');
  out.append(who);
  out.append(": ");
  out.append(text);
  out.push_back('\n');
  (void)!::write(fd_.get(), out.data(), out.size());  // one write per line: whole lines interleave
}

}  // namespace renderq
