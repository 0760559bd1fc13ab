#include "core/journal_log.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace renderq {

bool fd_is_journal(int fd) {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (fstat(fd, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == dev && static_cast<unsigned long long>(st.st_ino) == ino;
}

bool stderr_is_journal() {
  // Checked once: commands other than the daemon never move their stderr.
  static const bool journal = fd_is_journal(2);
  return journal;
}

std::string format_log_line(LogLevel level, std::string_view message, bool journal) {
  const std::string prefix =
      journal ? "<" + std::to_string(static_cast<int>(level)) + ">renderq: " : std::string("renderq: ");
  std::string out;
  std::size_t pos = 0;
  do {
    std::size_t end = message.find('\n', pos);
    if (end == std::string_view::npos) end = message.size();
    out += prefix;
    out.append(message.substr(pos, end - pos));
    out.push_back('\n');
    pos = end + 1;
  } while (pos < message.size());
  return out;
}

void log_line(LogLevel level, std::string_view message) {
  std::string line = format_log_line(level, message, stderr_is_journal());
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace renderq
