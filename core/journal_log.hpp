// Log lines on stderr that journald understands. Under systemd, stderr is a
// stream to the journal and $JOURNAL_STREAM names it ("<dev>:<inode>"); a
// line starting with "<N>" then gets syslog priority N (sd-daemon(3)), so
// `journalctl -p err -u renderq` shows only errors. Elsewhere lines stay as
// people expect: "renderq: message".
//
// Thread-safety: log_line() writes each line with one fwrite; safe to call
// from several threads (lines do not interleave mid-line).
#pragma once

#include <string>
#include <string_view>

namespace renderq {

enum class LogLevel { Error = 3, Warning = 4, Notice = 5, Info = 6, Debug = 7 };

// True when $JOURNAL_STREAM matches the device and inode of `fd` (the check
// systemd documents; a variable inherited by a child whose stderr was
// redirected elsewhere must not count). Checked afresh on every call, for a
// process that points its stderr elsewhere while running (the daemon's --log).
bool fd_is_journal(int fd);

// fd_is_journal(2), checked once per process.
bool stderr_is_journal();

// "renderq: <message>", each line prefixed with "<N>" when `journal`.
// A message with newlines becomes several lines, each with the prefix.
std::string format_log_line(LogLevel level, std::string_view message, bool journal);

// Writes format_log_line(level, message, stderr_is_journal()) to stderr.
void log_line(LogLevel level, std::string_view message);

}  // namespace renderq
