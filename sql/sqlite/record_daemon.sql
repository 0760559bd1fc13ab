-- A daemon's row, inserted or refreshed (its heartbeat): the whole row, so
-- that one deleted meanwhile (a reader judged it gone) comes back.
INSERT INTO daemons (host, boot_id, pid, devices, slots, version, started_ms, seen_ms, stale_after_ms)
VALUES (:host, :boot_id, :pid, :devices, :slots, :version, :started_ms, :now, :stale_after_ms)
ON CONFLICT (host, boot_id, pid) DO UPDATE SET
  devices = excluded.devices, slots = excluded.slots, version = excluded.version,
  started_ms = excluded.started_ms, seen_ms = excluded.seen_ms, stale_after_ms = excluded.stale_after_ms;
