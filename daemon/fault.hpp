// The worker's fault hook, for tests only. It does nothing unless BOTH
// RENDERQ_TEST_HOOKS=1 and RENDERQ_TEST_FAULT are set in the daemon's
// environment, so a stray variable in production cannot crash a worker.
// RENDERQ_TEST_FAULT is a comma-separated list of:
//   crash-on-job:NAME   the worker aborts (SIGABRT) when given a job named NAME
//   segv-on-job:NAME    the worker raises SIGSEGV on that job
//   hang-on-job:NAME    the worker sleeps forever on that job (timeouts, cancel)
//   delay-ms:N          the worker sleeps N ms before each render (crash tests
//                       widen their window with it)
// Documented as test-only in renderq-daemon(1).
//
// Thread-safety: pure functions; apply_fault may not return.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace renderq {

struct Fault {
  enum class Kind { CrashOnJob, SegvOnJob, HangOnJob, DelayMs } kind = Kind::DelayMs;
  std::string job_name;
  int delay_ms = 0;
};

// Errc::InvalidArgument naming the bad item.
Result<std::vector<Fault>> parse_faults(std::string_view text);

// The faults switched on by the environment; empty unless RENDERQ_TEST_HOOKS=1.
// A malformed RENDERQ_TEST_FAULT is an error, so a test cannot pass by typo.
Result<std::vector<Fault>> faults_from_env();

// Runs the faults that apply to a job named `job_name`, before it renders.
void apply_faults(const std::vector<Fault>& faults, std::string_view job_name);

}  // namespace renderq
