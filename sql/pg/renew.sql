-- The lease holder extends its lease; no row when it lost it.
-- $1 id, $2 now, $3 lease ms, $4 host, $5 boot id, $6 pid
UPDATE jobs SET lease_expires_ms = $2::bigint + $3::bigint
WHERE id = $1 AND state = 'running' AND owner_host = $4 AND owner_boot_id = $5 AND owner_pid = $6
RETURNING cancel_requested;
