-- A daemon's row, inserted or refreshed (its heartbeat): the whole row, so
-- that one deleted meanwhile comes back. $1 host, $2 boot_id, $3 pid,
-- $4 devices, $5 slots, $6 version, $7 started_ms, $8 now, $9 stale_after_ms.
INSERT INTO daemons (host, boot_id, pid, devices, slots, version, started_ms, seen_ms, stale_after_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (host, boot_id, pid) DO UPDATE SET
  devices = excluded.devices, slots = excluded.slots, version = excluded.version,
  started_ms = excluded.started_ms, seen_ms = excluded.seen_ms, stale_after_ms = excluded.stale_after_ms;
