// Schema migrations of a PostgreSQL queue: sql/pg/NNNN_*.sql applied in
// order on first use, each recorded in renderq_schema_version, all inside
// one transaction that holds a transaction-scoped advisory lock, so that two
// hosts starting at once never migrate together (the second waits, then
// finds nothing to do).
//
// Thread-safety: uses the caller's connection only.
#pragma once

#include "spool/pg_conn.hpp"

namespace renderq {

// The advisory lock key (pg_advisory_xact_lock): "RNDQ" as in SQLite's
// application_id, so it is recognisable in pg_locks.
inline constexpr std::int64_t kPgMigrationLock = 1380861009;

// Brings the connection's database (its search_path schema) to the latest
// schema. Throws PgError: Errc::SchemaTooNew when a newer renderq migrated
// it (nothing is changed), Errc::Internal on a broken migration list.
void pg_migrate(PgConn& conn);

// The schema version recorded (0 when none). Throws PgError.
int pg_schema_version(PgConn& conn);

}  // namespace renderq
