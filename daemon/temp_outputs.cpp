#include "daemon/temp_outputs.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <system_error>

#include "core/staged_output.hpp"
#include "daemon/daemon_log.hpp"
#include "daemon/staged_outputs.hpp"

namespace renderq {

bool is_temp_output(std::string_view name, std::string_view output_name, std::int64_t pid) {
  // "." + output_name + ".tmp-" + pid + "-" + digits
  const std::string infix = ".tmp-" + std::to_string(pid) + "-";
  if (output_name.empty() || name.size() <= 1 + output_name.size() + infix.size()) return false;
  if (name[0] != '.' || name.substr(1, output_name.size()) != output_name) return false;
  std::string_view rest = name.substr(1 + output_name.size());
  if (rest.substr(0, infix.size()) != infix) return false;
  rest.remove_prefix(infix.size());
  return std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int remove_temp_outputs(const RenderSpec& spec, std::int64_t pid) {
  namespace fs = std::filesystem;
  if (pid <= 0 || spec.output.empty()) return 0;
  // The output names by folder: frames usually share one, so one listing
  // covers them all however many frames there are.
  std::map<fs::path, std::set<std::string, std::less<>>> by_dir;
  for (int i = 0; i < std::max(spec.frames, 1); ++i) {
    fs::path out(frame_path(spec, i));
    by_dir[out.parent_path()].insert(out.filename().string());
  }
  const std::string infix = ".tmp-" + std::to_string(pid) + "-";
  int removed = 0;
  for (const auto& [dir, names] : by_dir) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      const std::size_t at = name.rfind(infix);
      if (name.empty() || name[0] != '.' || at == std::string::npos || at < 1) continue;
      auto output = names.find(std::string_view(name).substr(1, at - 1));
      if (output == names.end() || !is_temp_output(name, *output, pid)) continue;
      std::error_code rm;
      if (fs::remove(it->path(), rm)) ++removed;
    }
  }
  return removed;
}

std::int64_t worker_pid_on(std::string_view worker, std::string_view host) {
  const std::size_t colon = worker.rfind(':');
  if (colon == std::string_view::npos || worker.substr(0, colon) != host) return 0;
  std::int64_t pid = 0;
  std::string_view digits = worker.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  if (ec != std::errc() || end != digits.data() + digits.size() || pid <= 0) return 0;
  return pid;
}

void clean_temp_outputs(const RenderSpec& spec, std::int64_t pid, JobId job) {
  if (int n = remove_temp_outputs(spec, pid); n > 0)
    daemon_log(LogLevel::Info, "job " + std::to_string(job.value) + ": removed " + std::to_string(n) +
                                   " temporary file(s) left by worker pid " + std::to_string(pid));
}

void clean_dead_worker_outputs(const RenderSpec& spec, JobId job, int attempt, std::string_view host,
                               std::int64_t pid) {
  const int temp = remove_temp_outputs(spec, pid);
  const int staged = remove_staged(spec, [&](const StageTag& t) {
    return t.job == job.value && t.attempt <= attempt &&
           stage_tag(t.job, t.attempt, host, t.pid) == stage_tag(t.job, t.attempt, t.host, t.pid);
  });
  if (temp + staged > 0)
    daemon_log(LogLevel::Info, "job " + std::to_string(job.value) + ": removed " + std::to_string(temp) +
                                   " temporary and " + std::to_string(staged) + " staged file(s) left by worker pid " +
                                   std::to_string(pid));
}

}  // namespace renderq
