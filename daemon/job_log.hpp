// The per-job log, <spool>/jobs/<id>/job.log: one timestamped line per event
// (claimed, scene loaded, warnings, the time of each stage, outputs, errors,
// the outcome). The supervisor and the worker both append to it; each line
// is a single write(2) on an O_APPEND descriptor, so lines from the two
// processes interleave whole, never torn.
//
// Thread-safety: a JobLog is a move-only owner of one descriptor; use it
// from one thread. Writing never fails loudly: a log must not fail a render.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/unique_fd.hpp"

namespace renderq {

// "2026-11-28T02:03:04.567Z": UTC with milliseconds, for log lines.
std::string log_timestamp(std::int64_t unix_ms);

class JobLog {
 public:
  JobLog() = default;  // a closed log: line() does nothing
  // Opens (creating, mode 0600) `path` for appending. Errc::Io on failure.
  static Result<JobLog> open(const std::filesystem::path& path);

  bool is_open() const { return fd_.valid(); }
  // Appends "<timestamp> <who>: <text>\n".
  void line(std::string_view who, std::string_view text) const noexcept;

 private:
  explicit JobLog(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace renderq
