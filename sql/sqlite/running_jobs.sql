-- Every running job with its lease, for requeue_expired (jobs_state_id).
SELECT id, attempts, max_attempts, cancel_requested, error_code, owner_host, owner_boot_id, owner_pid,
       lease_expires_ms
FROM jobs WHERE state = 'running' ORDER BY id;
