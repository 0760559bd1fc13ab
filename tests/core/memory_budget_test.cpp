// The scene memory budget (core/memory_budget) and byte sizes (core/byte_size).
#include <catch2/catch.hpp>

#include "core/byte_size.hpp"
#include "core/memory_budget.hpp"

using renderq::Errc;
using renderq::MemoryBudget;
using renderq::MemoryLimits;

namespace {
constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
}

TEST_CASE("the default budget is half the least memory limit, capped", "[core][budget]") {
  using renderq::default_scene_memory;
  CHECK(default_scene_memory(MemoryLimits{.mem_total = 24 * kGiB}) == 12 * kGiB);
  CHECK(default_scene_memory(MemoryLimits{.mem_total = 24 * kGiB, .address_space = 2 * kGiB}) == kGiB);
  CHECK(default_scene_memory(MemoryLimits{.mem_total = 24 * kGiB, .cgroup_max = 4 * kGiB}) == 2 * kGiB);
  CHECK(default_scene_memory(MemoryLimits{.mem_total = 1024 * kGiB}) == renderq::kMaxDefaultSceneMemory);
  CHECK(default_scene_memory(MemoryLimits{}) == renderq::kMaxDefaultSceneMemory);
  CHECK(renderq::default_scene_memory() > 0);
  CHECK(MemoryBudget().limit() == renderq::default_scene_memory());
}

TEST_CASE("a load over the budget alone is scene_too_large, over what others hold, busy", "[core][budget]") {
  MemoryBudget budget(1000);
  {
    renderq::BudgetLease a(budget);
    REQUIRE(a.charge(600, "a").has_value());
    CHECK(a.charge(500, "more of a").error().code == Errc::SceneTooLarge);
    CHECK(a.held() == 600);
    renderq::BudgetLease b(budget);
    CHECK(b.charge(500, "b").error().code == Errc::Busy);
    REQUIRE(b.charge(400, "b").has_value());
    CHECK(budget.in_use() == 1000);
    CHECK(b.charge(UINT64_MAX, "overflow").error().code == Errc::SceneTooLarge);
  }
  CHECK(budget.in_use() == 0);  // leases give everything back
}

TEST_CASE("sizes saturate instead of wrapping", "[core][budget]") {
  CHECK(renderq::sat_mul(UINT64_MAX / 2, 3) == UINT64_MAX);
  CHECK(renderq::sat_add(UINT64_MAX - 1, 2) == UINT64_MAX);
  CHECK(renderq::sat_mul(1 << 20, 1 << 10) == std::uint64_t{1} << 30);
}

TEST_CASE("byte sizes parse and print", "[core][byte_size]") {
  CHECK(*renderq::parse_byte_size("2G") == std::int64_t{2} << 30);
  CHECK(*renderq::parse_byte_size("512M") == std::int64_t{512} << 20);
  CHECK(*renderq::parse_byte_size("1000") == 1000);
  CHECK(renderq::parse_byte_size("2T").error().code == Errc::InvalidArgument);
  CHECK(renderq::parse_byte_size("-1G").error().code == Errc::InvalidArgument);
  CHECK(renderq::parse_byte_size("nanG").error().code == Errc::InvalidArgument);
  CHECK(renderq::format_bytes(512) == "512 B");
  CHECK(renderq::format_bytes(std::uint64_t{3} << 30) == "3.0 GiB");
  CHECK(renderq::format_bytes(1536) == "1.5 KiB");
}
