#include "cli/daemon_table.hpp"

#include <algorithm>

#include "cli/job_table.hpp"

namespace renderq {

std::vector<DaemonView> daemon_views(const DaemonRoster& roster, const std::vector<Job>& running, const Owner& self,
                                     bool all) {
  std::vector<DaemonView> out;
  for (const DaemonRecord& d : roster.daemons) {
    DaemonView v{.record = d, .gone = is_gone(d, roster.now_ms, self), .running = {}, .now_ms = roster.now_ms};
    if (v.gone && !all) continue;
    for (const Job& j : running)
      if (j.state == JobState::Running && j.owner && *j.owner == d.owner) v.running.push_back(j.id.value);
    std::sort(v.running.begin(), v.running.end());
    out.push_back(std::move(v));
  }
  return out;
}

std::string devices_summary(const std::vector<std::string>& devices) {
  if (devices.empty()) return "-";
  std::vector<std::pair<std::string, int>> counted;  // in slot order, first appearance
  for (const std::string& d : devices) {
    std::string name = d.empty() ? "starting" : d.substr(0, d.find(" ("));
    auto it = std::find_if(counted.begin(), counted.end(), [&](const auto& c) { return c.first == name; });
    if (it == counted.end()) counted.emplace_back(std::move(name), 1);
    else ++it->second;
  }
  std::string out;
  for (const auto& [name, n] : counted)
    out += (out.empty() ? "" : ", ") + (n > 1 ? std::to_string(n) + "x " : std::string()) + name;
  return out;
}

namespace {

std::string running_text(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return "-";
  std::string out;
  for (std::int64_t id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

}  // namespace

std::string format_daemon_table(const std::vector<DaemonView>& views, bool all) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"HOST", "PID", "UP", "SEEN", "RUNNING", "DEVICES"};
  if (all) header.insert(header.begin(), "STATE");
  rows.push_back(header);
  for (const DaemonView& v : views) {
    const DaemonRecord& d = v.record;
    std::vector<std::string> r = {d.owner.host, std::to_string(d.owner.pid), format_age(v.now_ms - d.started_ms),
                                  format_age(v.now_ms - d.seen_ms), running_text(v.running),
                                  devices_summary(d.devices)};
    if (all) r.insert(r.begin(), v.gone ? "gone" : "live");
    rows.push_back(std::move(r));
  }
  return align_columns(rows);
}

nlohmann::json daemon_to_json(const DaemonView& v) {
  const DaemonRecord& d = v.record;
  return nlohmann::json{{"host", d.owner.host},
                        {"boot_id", d.owner.boot_id},
                        {"pid", d.owner.pid},
                        {"state", v.gone ? "gone" : "live"},
                        {"devices", d.devices},
                        {"slots", d.slots},
                        {"version", d.version},
                        {"started_ms", d.started_ms},
                        {"seen_ms", d.seen_ms},
                        {"stale_after_ms", d.stale_after_ms},
                        {"uptime_ms", v.now_ms - d.started_ms},
                        {"seen_ago_ms", v.now_ms - d.seen_ms},
                        {"running", v.running}};
}

}  // namespace renderq
