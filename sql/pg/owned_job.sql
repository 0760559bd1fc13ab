-- A running job as seen by its lease holder, locked; no row when the caller
-- no longer holds it (finished, requeued, or claimed by someone else).
-- $1 id, $2 host, $3 boot id, $4 pid
SELECT state, attempts, max_attempts, cancel_requested, error_code FROM jobs
WHERE id = $1 AND state = 'running' AND owner_host = $2 AND owner_boot_id = $3 AND owner_pid = $4
FOR UPDATE;
