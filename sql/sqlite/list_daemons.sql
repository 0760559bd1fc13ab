SELECT host, boot_id, pid, devices, slots, version, started_ms, seen_ms, stale_after_ms
FROM daemons ORDER BY host, started_ms, pid;
