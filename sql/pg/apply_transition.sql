-- Writes one transition of the job state machine (spool/job_transitions.hpp)
-- to a job that is still in state $2. NULL error fields keep what is stored;
-- $10 (drop lease) clears the holder, worker and device stay as the record of
-- who ran it last; $8 (fresh) clears the start time and progress (retry).
-- When $12 (host) is not NULL the row must still be held by that lease
-- holder ($12 host, $13 boot id, $14 pid, $15 attempt): a holder that lost
-- its lease changes nothing. Returns the id when the row changed.
-- $1 id, $3 to, $4 attempts, $5 finished, $6 now, $7 cancel_requested,
-- $9 error code, $11 error message
UPDATE jobs
SET state = $3::text,
    attempts = $4::integer,
    finished_ms = CASE WHEN $5::boolean THEN $6::bigint ELSE NULL END,
    started_ms = CASE WHEN $8::boolean THEN NULL ELSE started_ms END,
    progress_done = CASE WHEN $8::boolean THEN 0 ELSE progress_done END,
    progress_total = CASE WHEN $8::boolean THEN 0 ELSE progress_total END,
    error_code = coalesce($9::text, error_code),
    error_message = coalesce($11::text, error_message),
    cancel_requested = $7::boolean,
    owner_host = CASE WHEN $10::boolean THEN NULL ELSE owner_host END,
    owner_boot_id = CASE WHEN $10::boolean THEN NULL ELSE owner_boot_id END,
    owner_pid = CASE WHEN $10::boolean THEN NULL ELSE owner_pid END,
    lease_expires_ms = CASE WHEN $10::boolean THEN NULL ELSE lease_expires_ms END
WHERE id = $1 AND state = $2
  AND ($12::text IS NULL
       OR (owner_host = $12 AND owner_boot_id = $13 AND owner_pid = $14 AND attempts = $15))
RETURNING id;
