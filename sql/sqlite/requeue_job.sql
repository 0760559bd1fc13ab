-- retry: back to queued with a fresh attempt budget and a clean record.
UPDATE jobs
SET state = 'queued', attempts = 0, started_ms = NULL, finished_ms = NULL,
    error_code = '', error_message = '', owner_host = NULL, owner_boot_id = NULL,
    owner_pid = NULL, lease_expires_ms = NULL, progress_done = 0, progress_total = 0,
    cancel_requested = 0
WHERE id = :id;
