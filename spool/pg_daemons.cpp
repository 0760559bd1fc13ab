#include "spool/pg_daemons.hpp"

namespace renderq {

void pg_record_daemon(PgConn& conn, const DaemonRecord& d, std::int64_t now_ms) {
  conn.query("pg/record_daemon.sql", {pg(d.owner.host), pg(d.owner.boot_id), pg(d.owner.pid),
                                      pg(devices_to_json_text(d.devices)), pg(d.slots), pg(d.version),
                                      pg(d.started_ms), pg(now_ms), pg(d.stale_after_ms)});
}

void pg_remove_daemon(PgConn& conn, const Owner& owner) {
  conn.query("pg/remove_daemon.sql", {pg(owner.host), pg(owner.boot_id), pg(owner.pid)});
}

Result<DaemonRoster> pg_daemons(PgConn& conn, std::int64_t now_ms) {
  DaemonRoster roster{.now_ms = now_ms, .daemons = {}};
  PgRows r = conn.query("pg/list_daemons.sql");
  for (int i = 0; i < r.size(); ++i) {
    DaemonRecord d;
    d.owner = Owner{.host = r.text(i, "host"), .boot_id = r.text(i, "boot_id"), .pid = r.int64(i, "pid")};
    std::optional<std::vector<std::string>> devices = devices_from_json_text(r.text(i, "devices"));
    if (!devices)
      return fail(Errc::SpoolCorrupt, "daemon " + d.owner.host + ":" + std::to_string(d.owner.pid) +
                                          " has unreadable devices");
    d.devices = std::move(*devices);
    d.slots = r.int32(i, "slots");
    d.version = r.text(i, "version");
    d.started_ms = r.int64(i, "started_ms");
    d.seen_ms = r.int64(i, "seen_ms");
    d.stale_after_ms = r.int64(i, "stale_after_ms");
    roster.daemons.push_back(std::move(d));
  }
  return roster;
}

int pg_forget_daemons(PgConn& conn, std::int64_t forget_ms, std::int64_t now_ms) {
  return static_cast<int>(conn.query("pg/forget_daemons.sql", {pg(now_ms), pg(forget_ms)}).affected());
}

}  // namespace renderq
