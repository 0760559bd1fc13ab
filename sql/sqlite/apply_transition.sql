-- Writes one transition of the job state machine (spool/job_transitions.hpp)
-- to a job that is still in state :from. NULL error fields keep what is
-- stored; :drop_lease clears the lease holder (worker and device stay as the
-- record of who ran it last); :fresh clears the start time and progress
-- (retry); finished_ms is :now for a finished state and NULL otherwise.
UPDATE jobs
SET state = :to,
    attempts = :attempts,
    finished_ms = CASE WHEN :finished THEN :now ELSE NULL END,
    started_ms = CASE WHEN :fresh THEN NULL ELSE started_ms END,
    progress_done = CASE WHEN :fresh THEN 0 ELSE progress_done END,
    progress_total = CASE WHEN :fresh THEN 0 ELSE progress_total END,
    error_code = coalesce(:error_code, error_code),
    error_message = coalesce(:error_message, error_message),
    cancel_requested = :cancel_requested,
    owner_host = CASE WHEN :drop_lease THEN NULL ELSE owner_host END,
    owner_boot_id = CASE WHEN :drop_lease THEN NULL ELSE owner_boot_id END,
    owner_pid = CASE WHEN :drop_lease THEN NULL ELSE owner_pid END,
    lease_expires_ms = CASE WHEN :drop_lease THEN NULL ELSE lease_expires_ms END
WHERE id = :id AND state = :from;
