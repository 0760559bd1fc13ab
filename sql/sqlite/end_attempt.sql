-- A running job leaves the running state: to a finished state (with its
-- finish time) or back to queued (finish time cleared). The lease is dropped;
-- worker and device stay as a record of who ran it last.
UPDATE jobs
SET state = :state,
    finished_ms = CASE WHEN :state = 'queued' THEN NULL ELSE :now END,
    error_code = :error_code,
    error_message = :error_message,
    owner_host = NULL,
    owner_boot_id = NULL,
    owner_pid = NULL,
    lease_expires_ms = NULL,
    cancel_requested = 0
WHERE id = :id;
