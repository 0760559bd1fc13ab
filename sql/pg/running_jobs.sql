-- Running jobs for requeue_expired, locked; rows another host is requeueing
-- right now are skipped rather than waited for.
SELECT id, attempts, max_attempts, cancel_requested, error_code, owner_host, owner_boot_id, owner_pid,
       lease_expires_ms
FROM jobs WHERE state = 'running' ORDER BY id
FOR UPDATE SKIP LOCKED;
