#include "cli/wait_report.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <unistd.h>

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

// Progress of the running jobs on stderr (stdout stays data): a bar redrawn
// in place on a terminal, else one plain line per job when its frame count
// moved, at most once a second per job, so a log file stays readable.
class ProgressWaitReporter final : public WaitReporter {
 public:
  ProgressWaitReporter(std::unique_ptr<WaitReporter> inner, bool tty) : inner_(std::move(inner)), tty_(tty) {}

  void update(std::span<const Job> pending) override {
    inner_->update(pending);
    if (tty_) draw_bar(pending);
    else print_lines(pending);
  }

  void finished(const Job& job) override {
    clear_bar();
    inner_->finished(job);
  }

  void done() override {
    clear_bar();
    inner_->done();
  }

 private:
  void draw_bar(std::span<const Job> pending) {
    long long done = 0, total = 0;
    int running = 0;
    for (const Job& j : pending) {
      running += j.state == JobState::Running;
      if (j.progress_total > 0) {
        done += j.progress_done;
        total += j.progress_total;
      }
    }
    constexpr int kWidth = 30;
    int filled = total > 0 ? static_cast<int>(kWidth * done / total) : 0;
    std::string bar = "\r[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(kWidth - filled), '.') + "] ";
    bar += total > 0 ? std::to_string(done) + "/" + std::to_string(total) + " frames, " : "";
    bar += std::to_string(running) + " running, " + std::to_string(pending.size() - static_cast<std::size_t>(running)) +
           " queued\x1b[K";
    std::fputs(bar.c_str(), stderr);
    std::fflush(stderr);
    drawn_ = true;
  }

  void clear_bar() {
    if (!drawn_) return;
    std::fputs("\r\x1b[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }

  void print_lines(std::span<const Job> pending) {
    auto now = std::chrono::steady_clock::now();
    for (const Job& j : pending) {
      if (j.state != JobState::Running || j.progress_total <= 0) continue;
      Seen& seen = seen_[j.id.value];
      if (j.progress_done == seen.done || now - seen.at < std::chrono::seconds(1)) continue;
      seen = {j.progress_done, now};
      diag("job " + std::to_string(j.id.value) + " running: " + std::to_string(j.progress_done) + "/" +
           std::to_string(j.progress_total) + " frames");
    }
  }

  struct Seen {
    int done = -1;
    std::chrono::steady_clock::time_point at{};
  };
  std::unique_ptr<WaitReporter> inner_;
  bool tty_;
  bool drawn_ = false;
  std::map<std::int64_t, Seen> seen_;
};

}  // namespace

std::unique_ptr<WaitReporter> make_wait_reporter(const WaitReportOptions& options) {
  auto plain = std::make_unique<PlainWaitReporter>(options.quiet);
  if (options.quiet) return plain;  // --quiet: the exit code alone speaks
  return std::make_unique<ProgressWaitReporter>(std::move(plain), ::isatty(STDERR_FILENO) == 1);
}

}  // namespace renderq
