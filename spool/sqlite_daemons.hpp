// The daemon registry's statements on SQLite (daemon_record.hpp; the
// `daemons` table of sql/0006_daemons.sql). SqliteStore's record_daemon,
// remove_daemon, daemons and forget_daemons call these inside its guard:
// they throw like SQLiteCpp, and SqliteStore turns that into an Error.
//
// Thread-safety: the connection's (one per thread).
#pragma once

#include <cstdint>

#include "core/error.hpp"
#include "spool/daemon_record.hpp"
#include "spool/sqlite_db.hpp"

namespace renderq {

// In one BEGIN IMMEDIATE, without a flush (synchronous=NORMAL): a lost
// heartbeat only makes the row look older.
void sqlite_record_daemon(SqliteDb& db, const DaemonRecord& d, std::int64_t now_ms);
void sqlite_remove_daemon(SqliteDb& db, const Owner& owner);
Result<DaemonRoster> sqlite_daemons(SqliteDb& db, std::int64_t now_ms);
int sqlite_forget_daemons(SqliteDb& db, std::int64_t forget_ms, std::int64_t now_ms);

}  // namespace renderq
