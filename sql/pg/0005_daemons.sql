-- renderq PostgreSQL schema, version 5: the daemons serving the queue, as
-- SQLite's sql/0006_daemons.sql. Daemons on many hosts share a queue, so
-- this table is the only way to tell which ones are up: each refreshes
-- seen_ms (on the server's clock, like leases) and deletes its row when it
-- stops; a row not seen for stale_after_ms (3 leases) counts as gone.
CREATE TABLE daemons (
  host           TEXT    NOT NULL,
  boot_id        TEXT    NOT NULL,
  pid            BIGINT  NOT NULL,
  devices        TEXT    NOT NULL DEFAULT '[]' CHECK (devices::jsonb IS NOT NULL),  -- each slot's device
  slots          INTEGER NOT NULL CHECK (slots >= 0),
  version        TEXT    NOT NULL DEFAULT '',
  started_ms     BIGINT  NOT NULL,
  seen_ms        BIGINT  NOT NULL,
  stale_after_ms BIGINT  NOT NULL CHECK (stale_after_ms > 0),
  PRIMARY KEY (host, boot_id, pid)
);
