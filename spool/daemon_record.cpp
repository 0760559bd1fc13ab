#include "spool/daemon_record.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "spool/owner.hpp"

namespace renderq {

Result<void> check_daemon_record(const DaemonRecord& d) {
  if (d.owner.host.empty()) return fail(Errc::InvalidArgument, "a daemon's record needs its host name");
  if (d.owner.pid <= 0) return fail(Errc::InvalidArgument, "a daemon's record needs its pid");
  if (d.slots < 0) return fail(Errc::InvalidArgument, "a daemon's slots must not be negative");
  if (d.stale_after_ms <= 0) return fail(Errc::InvalidArgument, "a daemon's staleness limit must be positive");
  return {};
}

bool is_stale(const DaemonRecord& d, std::int64_t now_ms) { return now_ms - d.seen_ms > d.stale_after_ms; }

bool is_gone(const DaemonRecord& d, std::int64_t now_ms, const Owner& self) {
  return is_stale(d, now_ms) || !owner_alive_here(d.owner, self);
}

bool any_live(const DaemonRoster& roster, const Owner& self) {
  return std::any_of(roster.daemons.begin(), roster.daemons.end(),
                     [&](const DaemonRecord& d) { return !is_gone(d, roster.now_ms, self); });
}

std::string devices_to_json_text(const std::vector<std::string>& devices) {
  return nlohmann::json(devices).dump();
}

std::optional<std::vector<std::string>> devices_from_json_text(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const nlohmann::json& d : j) {
    if (!d.is_string()) return std::nullopt;
    out.push_back(d.get<std::string>());
  }
  return out;
}

}  // namespace renderq
