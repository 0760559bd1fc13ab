-- renderq spool schema, version 6: the daemons serving the queue
-- (spool/daemon_record.hpp; `renderq daemons`). Each running daemon keeps
-- its row: it records itself at start, refreshes seen_ms on its heartbeat
-- and deletes the row when it stops. A daemon killed with SIGKILL leaves
-- its row; readers count a row not seen for stale_after_ms (3 leases) as
-- gone. Keyed by the lease owner: host name, boot id, supervisor pid.
CREATE TABLE daemons (
  host           TEXT    NOT NULL,
  boot_id        TEXT    NOT NULL,
  pid            INTEGER NOT NULL,
  devices        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(devices)),  -- each slot's device
  slots          INTEGER NOT NULL CHECK (slots >= 0),
  version        TEXT    NOT NULL DEFAULT '',
  started_ms     INTEGER NOT NULL,
  seen_ms        INTEGER NOT NULL,
  stale_after_ms INTEGER NOT NULL CHECK (stale_after_ms > 0),
  PRIMARY KEY (host, boot_id, pid)
) WITHOUT ROWID;
