#include "cli/wait_report.hpp"

#include <cstdio>
#include <string>

#include "cli/context.hpp"

namespace renderq {

namespace {

class PlainWaitReporter final : public WaitReporter {
 public:
  explicit PlainWaitReporter(bool quiet) : quiet_(quiet) {}

  void update(std::span<const Job>) override {}

  void finished(const Job& job) override {
    if (job.state == JobState::Failed) {
      std::string why = job.error_code;
      if (!job.error_message.empty()) why += (why.empty() ? "" : ": ") + job.error_message;
      diag("job " + std::to_string(job.id.value) + " failed" + (why.empty() ? "" : ": " + why));
    }
    if (quiet_) return;
    std::printf("%lld %s\n", static_cast<long long>(job.id.value), std::string(state_name(job.state)).c_str());
    // A reader on a pipe sees each job as it ends, not all at exit.
    std::fflush(stdout);
  }

  void done() override {}

 private:
  bool quiet_;
};

}  // namespace

std::unique_ptr<WaitReporter> make_wait_reporter(const WaitReportOptions& options) {
  return std::make_unique<PlainWaitReporter>(options.quiet);
}

}  // namespace renderq
