-- A running job as seen by its lease holder (the state machine's row); no
-- row when the caller no longer holds it (finished, requeued, or claimed by
-- someone else) or, with :attempt bound, holds a later attempt of it.
SELECT state, attempts, max_attempts, cancel_requested, error_code FROM jobs
WHERE id = :id AND state = 'running'
  AND owner_host = :host AND owner_boot_id = :boot_id AND owner_pid = :pid
  AND (:attempt IS NULL OR attempts = :attempt);
