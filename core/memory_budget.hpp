// The scene memory budget: how many bytes loading one scene (its file, the
// buffers, decoded meshes and images, an environment map) may allocate.
// The loader adds up what a scene declares (accessor counts, buffer
// lengths, image sizes from their headers) and takes it from the budget
// before allocating; a scene that needs more is refused with
// Errc::SceneTooLarge, so a 1 KB file cannot ask for gigabytes.
//
// The default is half of what this process may use: the least of MemTotal
// (/proc/meminfo), the cgroup's memory.max and RLIMIT_AS (`ulimit -v`),
// capped at kMaxDefaultSceneMemory. Set it with --max-scene-memory or
// render.max_scene_memory in the config.
//
// A MemoryBudget may be shared by several loads at once (the HTTP server
// checks uploads on many threads): each load holds a BudgetLease, which
// gives its bytes back when it ends.
//
// Thread-safety: MemoryBudget is safe from any thread; a BudgetLease
// belongs to one load (one thread at a time).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/error.hpp"

namespace renderq {

// The default never exceeds this, however large the machine.
inline constexpr std::uint64_t kMaxDefaultSceneMemory = std::uint64_t{64} << 30;

// What bounds this process's memory; nullopt = no such bound.
struct MemoryLimits {
  std::optional<std::uint64_t> mem_total;      // /proc/meminfo MemTotal
  std::optional<std::uint64_t> cgroup_max;     // cgroup v2 memory.max of this process
  std::optional<std::uint64_t> address_space;  // RLIMIT_AS soft limit
};

// Reads the limits of the calling process.
MemoryLimits current_memory_limits();

// Half of the least limit, capped at kMaxDefaultSceneMemory (the cap alone
// when nothing is known).
std::uint64_t default_scene_memory(const MemoryLimits& limits);

// default_scene_memory(current_memory_limits()), computed once per process.
std::uint64_t default_scene_memory();

// Saturating arithmetic for sizes computed from untrusted counts.
inline std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}
inline std::uint64_t sat_mul(std::uint64_t a, std::uint64_t b) {
  return (b != 0 && a > UINT64_MAX / b) ? UINT64_MAX : a * b;
}

class MemoryBudget {
 public:
  // limit_bytes 0 = default_scene_memory().
  explicit MemoryBudget(std::uint64_t limit_bytes = 0);
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  std::uint64_t limit() const { return limit_; }
  std::uint64_t in_use() const { return used_.load(std::memory_order_relaxed); }

  // Takes `bytes` more for a load that already holds `held`.
  // Errc::SceneTooLarge when held + bytes passes the limit (the load alone
  // is too large), Errc::Busy when other loads hold the rest (retry later).
  // The detail names `what`, the total needed and the limit.
  Result<void> take(std::uint64_t held, std::uint64_t bytes, std::string_view what);
  void give_back(std::uint64_t bytes);

 private:
  std::uint64_t limit_;
  std::atomic<std::uint64_t> used_{0};
};

// What one load holds of a budget; all of it goes back when the lease dies.
class BudgetLease {
 public:
  explicit BudgetLease(MemoryBudget& budget) : budget_(&budget) {}
  ~BudgetLease() { budget_->give_back(held_); }
  BudgetLease(const BudgetLease&) = delete;
  BudgetLease& operator=(const BudgetLease&) = delete;

  // Takes `bytes` before they are allocated; see MemoryBudget::take.
  Result<void> charge(std::uint64_t bytes, std::string_view what);
  std::uint64_t held() const { return held_; }
  std::uint64_t limit() const { return budget_->limit(); }

 private:
  MemoryBudget* budget_;
  std::uint64_t held_ = 0;
};

}  // namespace renderq
