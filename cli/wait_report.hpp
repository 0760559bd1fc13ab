// What `renderq wait` shows while it waits: the hook for progress display.
//
// One "ID STATE" line on stdout as each job finishes (and the error of a
// failed job on stderr): right for pipes and scripts. Progress (frames
// done/total of running jobs) goes to stderr, never stdout: a bar redrawn in
// place when stderr is a terminal, else a plain "job ID running: D/T frames"
// line when a job's count moved (at most once a second per job). --quiet
// shows neither. No colour is used, so NO_COLOR needs no handling.
//
// Thread-safety: used from main's thread only.
#pragma once

#include <memory>
#include <span>

#include "spool/job.hpp"

namespace renderq {

class WaitReporter {
 public:
  virtual ~WaitReporter() = default;
  // After each poll that saw the spool change: every job still waited for,
  // as just read (state, progress_done / progress_total).
  virtual void update(std::span<const Job> pending) = 0;
  // Once per job, when it is first seen finished.
  virtual void finished(const Job& job) = 0;
  // Once, when waiting ends for any reason (a bar erases itself here).
  virtual void done() = 0;
};

struct WaitReportOptions {
  bool quiet = false;  // --quiet: print nothing on stdout
};

std::unique_ptr<WaitReporter> make_wait_reporter(const WaitReportOptions& options);

}  // namespace renderq
