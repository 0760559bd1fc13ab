#include "core/memory_budget.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/byte_size.hpp"

namespace renderq {

namespace {

std::optional<std::uint64_t> read_mem_total() {
  std::ifstream f("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (f >> key >> kib >> unit)
    if (key == "MemTotal:") return kib * 1024;
  return std::nullopt;
}

// cgroup v2: "0::/path" in /proc/self/cgroup; "max" means no limit.
std::optional<std::uint64_t> read_cgroup_max() {
  std::ifstream cg("/proc/self/cgroup");
  std::string line;
  while (std::getline(cg, line)) {
    if (!line.starts_with("0::")) continue;
    std::ifstream f("/sys/fs/cgroup" + line.substr(3) + "/memory.max");
    std::string value;
    if (!(f >> value) || value == "max") return std::nullopt;
    char* end = nullptr;
    unsigned long long v = std::strtoull(value.c_str(), &end, 10);
    if (end == value.c_str() || *end != '\0') return std::nullopt;
    return static_cast<std::uint64_t>(v);
  }
  return std::nullopt;
}

}  // namespace

MemoryLimits current_memory_limits() {
  MemoryLimits limits;
  limits.mem_total = read_mem_total();
  limits.cgroup_max = read_cgroup_max();
  struct rlimit rl {};
  if (::getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    limits.address_space = static_cast<std::uint64_t>(rl.rlim_cur);
  return limits;
}

std::uint64_t default_scene_memory(const MemoryLimits& limits) {
  std::uint64_t least = UINT64_MAX;
  for (const std::optional<std::uint64_t>& l : {limits.mem_total, limits.cgroup_max, limits.address_space})
    if (l) least = std::min(least, *l);
  return std::min(least / 2, kMaxDefaultSceneMemory);
}

std::uint64_t default_scene_memory() {
  static const std::uint64_t value = default_scene_memory(current_memory_limits());
  return value;
}

MemoryBudget::MemoryBudget(std::uint64_t limit_bytes)
    : limit_(limit_bytes != 0 ? limit_bytes : default_scene_memory()) {}

Result<void> MemoryBudget::take(std::uint64_t held, std::uint64_t bytes, std::string_view what) {
  const std::uint64_t need = sat_add(held, bytes);
  if (need > limit_)
    return fail(Errc::SceneTooLarge, std::string(what) + " needs " + format_bytes(bytes) +
                                         ", which brings the scene to " +
                                         (need == UINT64_MAX ? std::string("more than 16 EiB") : format_bytes(need)) +
                                         ", over the scene memory budget of " + format_bytes(limit_) +
                                         " (--max-scene-memory)");
  std::uint64_t used = used_.load(std::memory_order_relaxed);
  do {
    if (used > limit_ - bytes)
      return fail(Errc::Busy, std::string(what) + " needs " + format_bytes(bytes) + "; other scenes being loaded hold " +
                                  format_bytes(used) + " of the scene memory budget of " + format_bytes(limit_) +
                                  "; retry later");
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  return {};
}

void MemoryBudget::give_back(std::uint64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

Result<void> BudgetLease::charge(std::uint64_t bytes, std::string_view what) {
  if (auto ok = budget_->take(held_, bytes, what); !ok) return ok;
  held_ += bytes;
  return {};
}

}  // namespace renderq
