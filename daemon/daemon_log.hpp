// The daemon's own log: timestamped lines on stderr, which is the terminal
// with --foreground and the log file otherwise. Workers' stderr is piped
// through the supervisor into this log, so reopening it (SIGHUP, after
// logrotate moved the file) redirects every process's output at once.
//
// Thread-safety: the supervisor's thread only.
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace renderq {

// Points stderr at `path` (appending, created 0600). "" leaves stderr alone.
// Called at start-up and again on SIGHUP. Errc::Io when it cannot be opened
// (stderr is then unchanged).
Result<void> open_daemon_log(const std::string& path);

// Writes "<timestamp> renderq-daemon[<pid>]: <text>\n" to stderr in one write.
void daemon_log(std::string_view text);

}  // namespace renderq
