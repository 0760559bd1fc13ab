#include "spool/sqlite_daemons.hpp"

namespace renderq {

void sqlite_record_daemon(SqliteDb& db, const DaemonRecord& d, std::int64_t now_ms) {
  db.set_synchronous_full(false);
  ImmediateTxn txn(db);
  {
    SqliteDb::Query q = db.query("sqlite/record_daemon.sql");
    q->bind(":host", d.owner.host);
    q->bind(":boot_id", d.owner.boot_id);
    q->bind(":pid", d.owner.pid);
    q->bind(":devices", devices_to_json_text(d.devices));
    q->bind(":slots", d.slots);
    q->bind(":version", d.version);
    q->bind(":started_ms", d.started_ms);
    q->bind(":now", now_ms);
    q->bind(":stale_after_ms", d.stale_after_ms);
    q->exec();
  }
  txn.commit();
}

void sqlite_remove_daemon(SqliteDb& db, const Owner& owner) {
  db.set_synchronous_full(false);
  ImmediateTxn txn(db);
  {
    SqliteDb::Query q = db.query("sqlite/remove_daemon.sql");
    q->bind(":host", owner.host);
    q->bind(":boot_id", owner.boot_id);
    q->bind(":pid", owner.pid);
    q->exec();
  }
  txn.commit();
}

Result<DaemonRoster> sqlite_daemons(SqliteDb& db, std::int64_t now_ms) {
  DaemonRoster roster{.now_ms = now_ms, .daemons = {}};
  SqliteDb::Query q = db.query("sqlite/list_daemons.sql");
  while (q->executeStep()) {
    DaemonRecord d;
    d.owner = Owner{.host = q->getColumn("host").getString(),
                    .boot_id = q->getColumn("boot_id").getString(),
                    .pid = q->getColumn("pid").getInt64()};
    std::optional<std::vector<std::string>> devices = devices_from_json_text(q->getColumn("devices").getString());
    if (!devices)
      return fail(Errc::SpoolCorrupt, "daemon " + d.owner.host + ":" + std::to_string(d.owner.pid) +
                                          " has unreadable devices");
    d.devices = std::move(*devices);
    d.slots = q->getColumn("slots").getInt();
    d.version = q->getColumn("version").getString();
    d.started_ms = q->getColumn("started_ms").getInt64();
    d.seen_ms = q->getColumn("seen_ms").getInt64();
    d.stale_after_ms = q->getColumn("stale_after_ms").getInt64();
    roster.daemons.push_back(std::move(d));
  }
  return roster;
}

int sqlite_forget_daemons(SqliteDb& db, std::int64_t forget_ms, std::int64_t now_ms) {
  db.set_synchronous_full(false);
  ImmediateTxn txn(db);
  int n = 0;
  {
    SqliteDb::Query q = db.query("sqlite/forget_daemons.sql");
    q->bind(":forget_ms", forget_ms);
    q->bind(":now", now_ms);
    n = q->exec();
  }
  txn.commit();
  return n;
}

}  // namespace renderq
