// Detaching from the terminal without losing the start-up result: the
// command that started the daemon exits only once the daemon is serving (0)
// or has failed (its exit code and message), so `renderq daemon && renderq
// submit ...` in a script never races the daemon's start.
//
// Thread-safety: call before any thread exists (it forks).
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace renderq {

// The daemon's end of the start-up report.
class StartupReport {
 public:
  StartupReport() = default;
  explicit StartupReport(UniqueFd fd) : fd_(std::move(fd)) {}
  // Tells the waiting parent; only the first call counts.
  void ready();
  void failed(int exit_code, std::string_view message);

 private:
  UniqueFd fd_;
};

// Forks twice (the daemon is re-parented to init and has no terminal),
// starts a new session, changes to "/", points stdin and stdout at
// /dev/null and stderr at `log_path`. Returns only in the daemon. The
// original process waits for the report and exits with it: 0 on ready(),
// the given code and message on failed(), 1 if the daemon dies first.
// Errc::Io when the log cannot be opened or fork fails (nothing forked then).
Result<StartupReport> daemonize(const std::string& log_path);

}  // namespace renderq
