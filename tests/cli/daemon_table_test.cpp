// cli/daemon_table: what `renderq daemons` prints from the registry rows.
#include <catch2/catch.hpp>

#include "cli/daemon_table.hpp"

using namespace renderq;

namespace {

const Owner kReader{.host = "reader", .boot_id = "boot-r", .pid = 1};

DaemonRecord row(const std::string& host, std::int64_t pid, std::int64_t seen_ms) {
  return DaemonRecord{.owner = Owner{.host = host, .boot_id = "b", .pid = pid},
                      .devices = {"llvmpipe (LLVM 15.0.6, 256 bits)", "llvmpipe (LLVM 15.0.6, 256 bits)"},
                      .slots = 2,
                      .version = "0.1.0",
                      .started_ms = 0,
                      .seen_ms = seen_ms,
                      .stale_after_ms = 3'000};
}

Job running_job(std::int64_t id, const Owner& owner) {
  Job j;
  j.id = JobId{id};
  j.state = JobState::Running;
  j.owner = owner;
  return j;
}

}  // namespace

TEST_CASE("each daemon gets the running jobs whose lease it holds, gone ones only with all", "[daemon_table]") {
  const DaemonRoster roster{.now_ms = 3'600'000,
                            .daemons = {row("h1", 10, 3'599'000), row("h2", 20, 3'599'500), row("h3", 30, 1'000)}};
  const Owner h1 = roster.daemons[0].owner;
  std::vector<Job> jobs = {running_job(7, h1), running_job(3, h1), running_job(9, roster.daemons[1].owner),
                           running_job(11, Owner{.host = "h1", .boot_id = "b", .pid = 99})};  // another process
  Job queued = running_job(12, h1);
  queued.state = JobState::Queued;
  jobs.push_back(queued);

  std::vector<DaemonView> live = daemon_views(roster, jobs, kReader, false);
  REQUIRE(live.size() == 2);
  CHECK(live[0].running == std::vector<std::int64_t>{3, 7});
  CHECK(live[1].running == std::vector<std::int64_t>{9});

  std::vector<DaemonView> all = daemon_views(roster, jobs, kReader, true);
  REQUIRE(all.size() == 3);
  CHECK(all[2].gone);
  CHECK(daemon_to_json(all[2])["state"] == "gone");
  CHECK(daemon_to_json(all[0])["seen_ago_ms"] == 1'000);
  CHECK(daemon_to_json(all[0])["uptime_ms"] == 3'600'000);

  const std::string table = format_daemon_table(live, false);
  CHECK(table ==
        "HOST  PID  UP  SEEN  RUNNING  DEVICES\n"
        "h1    10   1h  1s    3,7      2x llvmpipe\n"
        "h2    20   1h  0s    9        2x llvmpipe\n");
  const std::string with_state = format_daemon_table(all, true);
  CHECK(with_state.starts_with("STATE  HOST"));
  CHECK(with_state.find("\ngone   h3    30   1h  59m   -        2x llvmpipe\n") != std::string::npos);
  CHECK(format_daemon_table({}, false) == "HOST  PID  UP  SEEN  RUNNING  DEVICES\n");
}

TEST_CASE("the devices column names each device once with its count, in slot order", "[daemon_table]") {
  CHECK(devices_summary({}) == "-");
  CHECK(devices_summary({""}) == "starting");
  CHECK(devices_summary({"NVIDIA H200/PCIe/SSE2", "llvmpipe (LLVM 15.0.6, 256 bits)", "NVIDIA H200/PCIe/SSE2", ""}) ==
        "2x NVIDIA H200/PCIe/SSE2, llvmpipe, starting");
}
