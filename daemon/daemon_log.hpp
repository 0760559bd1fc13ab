// The daemon's own log: one line per event on stderr, which is the terminal
// with --foreground, the log file when detached or given --log, and the
// journal under systemd. Workers' stderr is piped through the supervisor
// into this log, so reopening it (SIGHUP, after logrotate moved the file)
// redirects every process's output at once.
//
// Thread-safety: the supervisor's thread only.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/journal_log.hpp"

namespace renderq {

// Points stderr at `path` (appending, created 0600). "" leaves stderr alone.
// Called at start-up and again on SIGHUP. Errc::Io when it cannot be opened
// (stderr is then unchanged).
Result<void> open_daemon_log(const std::string& path);

// Writes one line to stderr in one write(2). In a file or on a terminal:
// "<timestamp> renderq-daemon[<pid>]: <text>". When stderr is the journal
// ($JOURNAL_STREAM matches it, see core/journal_log.hpp): "<N>renderq: <text>"
// with N the syslog priority of `level`; journald adds the time and pid.
// Levels: Error when the daemon itself cannot do its work (a worker cannot
// start, an outcome cannot be stored), Warning when a job or worker went
// wrong (a crash, a failed job, a lost lease), Info for the rest.
void daemon_log(LogLevel level, std::string_view text);

// The line daemon_log writes, for tests: `journal` picks the format.
std::string format_daemon_line(LogLevel level, std::string_view text, bool journal);

}  // namespace renderq
