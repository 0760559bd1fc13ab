#include "spool/pg_migrate.hpp"

#include <string>

#include "spool/sql_text.hpp"

namespace renderq {

int pg_schema_version(PgConn& conn) {
  PgRows t = conn.exec("SELECT to_regclass('renderq_schema_version') IS NOT NULL AS present");
  if (!t.boolean(0, "present")) return 0;
  PgRows v = conn.exec("SELECT coalesce(max(version), 0) AS v FROM renderq_schema_version");
  return v.int32(0, "v");
}

void pg_migrate(PgConn& conn) {
  Result<std::vector<Migration>> all = migrations("pg");
  if (!all) throw PgError(all.error());
  const int latest = static_cast<int>(all->size());
  // The usual case, without the lock: already at the latest version.
  const int seen = pg_schema_version(conn);
  if (seen > latest)
    throw PgError(Error{Errc::SchemaTooNew, "the PostgreSQL queue has schema version " + std::to_string(seen) +
                                                ", newer than this renderq's " + std::to_string(latest) +
                                                "; upgrade renderq"});
  if (seen == latest) return;

  PgTxn txn(conn);
  conn.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kPgMigrationLock) + ")");
  conn.exec(
      "CREATE TABLE IF NOT EXISTS renderq_schema_version ("
      " version INTEGER PRIMARY KEY,"
      " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  // Read again under the lock: another host may have migrated meanwhile.
  const int current = pg_schema_version(conn);
  if (current > latest)
    throw PgError(Error{Errc::SchemaTooNew, "the PostgreSQL queue has schema version " + std::to_string(current) +
                                                ", newer than this renderq's " + std::to_string(latest)});
  for (const Migration& m : *all) {
    if (m.version <= current) continue;
    conn.exec(std::string(m.text));
    conn.exec("INSERT INTO renderq_schema_version (version) VALUES (" + std::to_string(m.version) + ")");
  }
  txn.commit();
}

}  // namespace renderq
