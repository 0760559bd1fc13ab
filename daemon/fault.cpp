#include "daemon/fault.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

namespace renderq {

Result<std::vector<Fault>> parse_faults(std::string_view text) {
  std::vector<Fault> out;
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    std::size_t colon = item.find(':');
    std::string_view key = item.substr(0, colon);
    std::string arg = colon == std::string_view::npos ? std::string{} : std::string(item.substr(colon + 1));
    Fault f;
    if (key == "crash-on-job") f.kind = Fault::Kind::CrashOnJob;
    else if (key == "segv-on-job") f.kind = Fault::Kind::SegvOnJob;
    else if (key == "hang-on-job") f.kind = Fault::Kind::HangOnJob;
    else if (key == "delay-ms") f.kind = Fault::Kind::DelayMs;
    else return fail(Errc::InvalidArgument, "unknown test fault '" + std::string(item) + "'");
    if (arg.empty()) return fail(Errc::InvalidArgument, "test fault '" + std::string(key) + "' needs an argument");
    if (f.kind == Fault::Kind::DelayMs) {
      char* end = nullptr;
      long ms = std::strtol(arg.c_str(), &end, 10);
      if (*end != '\0' || ms < 0 || ms > 3'600'000)
        return fail(Errc::InvalidArgument, "bad delay in test fault '" + std::string(item) + "'");
      f.delay_ms = static_cast<int>(ms);
    } else {
      f.job_name = arg;
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::vector<Fault>> faults_from_env() {
  const char* hooks = std::getenv("RENDERQ_TEST_HOOKS");
  const char* spec = std::getenv("RENDERQ_TEST_FAULT");
  if (hooks == nullptr || std::string_view(hooks) != "1" || spec == nullptr) return std::vector<Fault>{};
  return parse_faults(spec);
}

void apply_faults(const std::vector<Fault>& faults, std::string_view job_name) {
  for (const Fault& f : faults) {
    switch (f.kind) {
      case Fault::Kind::DelayMs:
        std::this_thread::sleep_for(std::chrono::milliseconds(f.delay_ms));
        break;
      case Fault::Kind::CrashOnJob:
        if (job_name == f.job_name) std::abort();
        break;
      case Fault::Kind::SegvOnJob:
        if (job_name == f.job_name) std::raise(SIGSEGV);
        break;
      case Fault::Kind::HangOnJob:
        if (job_name == f.job_name)
          for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
        break;
    }
  }
}

}  // namespace renderq
