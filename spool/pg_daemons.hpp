// The daemon registry's statements on PostgreSQL (daemon_record.hpp; the
// `daemons` table of sql/pg/0005_daemons.sql). PgStore's record_daemon,
// remove_daemon, daemons and forget_daemons call these inside its guard:
// they throw PgError, which PgStore turns into an Error. Each is one
// statement in its own implicit transaction, committed without waiting for
// the flush (the session's synchronous_commit = off): a lost heartbeat only
// makes the row look older.
//
// Thread-safety: the connection's (one per thread).
#pragma once

#include <cstdint>

#include "core/error.hpp"
#include "spool/daemon_record.hpp"
#include "spool/pg_conn.hpp"

namespace renderq {

void pg_record_daemon(PgConn& conn, const DaemonRecord& d, std::int64_t now_ms);
void pg_remove_daemon(PgConn& conn, const Owner& owner);
Result<DaemonRoster> pg_daemons(PgConn& conn, std::int64_t now_ms);
int pg_forget_daemons(PgConn& conn, std::int64_t forget_ms, std::int64_t now_ms);

}  // namespace renderq
