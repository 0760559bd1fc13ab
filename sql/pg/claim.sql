-- claim, in one statement: the highest-priority, oldest queued job whose
-- dependencies all succeeded becomes running under the caller's lease
-- (job_transitions.hpp on_claim: attempts + 1, cancel flag cleared).
-- FOR UPDATE SKIP LOCKED: claimers on other hosts take other rows instead
-- of waiting; a row another claimer changed meanwhile is rechecked and
-- skipped. Nothing is claimed while the queue is paused; held jobs and jobs
-- whose not-before time lies ahead are skipped.
-- $1 now, $2 lease ms, $3 host, $4 boot id, $5 pid, $6 worker, $7 device
UPDATE jobs
SET state = 'running',
    attempts = attempts + 1,
    started_ms = $1::bigint,
    finished_ms = NULL,
    owner_host = $3,
    owner_boot_id = $4,
    owner_pid = $5,
    lease_expires_ms = $1::bigint + $2::bigint,
    worker = $6,
    device = $7,
    progress_done = 0,
    progress_total = 0,
    cancel_requested = false
WHERE id = (
    SELECT q.id FROM jobs AS q
    WHERE q.state = 'queued'
      AND NOT q.held
      AND (q.not_before_ms IS NULL OR q.not_before_ms <= $1::bigint)
      AND NOT EXISTS (SELECT 1 FROM job_deps AS d JOIN jobs AS p ON p.id = d.dep_id
                      WHERE d.job_id = q.id AND p.state <> 'succeeded')
      AND NOT (SELECT paused FROM queue_settings WHERE id = 1)
    ORDER BY q.priority DESC, q.id
    LIMIT 1
    FOR UPDATE OF q SKIP LOCKED)
  AND state = 'queued'
RETURNING jobs.*,
          (SELECT string_agg(dep_id::text, ',' ORDER BY dep_id) FROM job_deps
           WHERE job_deps.job_id = jobs.id) AS after_ids;
