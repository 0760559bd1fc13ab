-- claim: the highest-priority, oldest queued job whose dependencies all
-- succeeded becomes running under the caller's lease, in one statement
-- (run inside BEGIN IMMEDIATE). Nothing is claimed while the queue is paused;
-- held jobs and jobs whose not-before time lies ahead are skipped.
-- INDEXED BY turns "the planner stopped using the claim index" into an
-- error at prepare time instead of a silent full scan.
UPDATE jobs
SET state = 'running',
    attempts = attempts + 1,
    started_ms = :now,
    finished_ms = NULL,
    owner_host = :host,
    owner_boot_id = :boot_id,
    owner_pid = :pid,
    lease_expires_ms = :now + :lease_ms,
    worker = :worker,
    device = :device,
    progress_done = 0,
    progress_total = 0,
    cancel_requested = 0
WHERE id = (
    SELECT q.id FROM jobs AS q INDEXED BY jobs_claim_order
    WHERE q.state = 'queued'
      AND NOT q.held
      AND (q.not_before_ms IS NULL OR q.not_before_ms <= :now)
      AND NOT EXISTS (SELECT 1 FROM job_deps AS d JOIN jobs AS p ON p.id = d.dep_id
                      WHERE d.job_id = q.id AND p.state <> 'succeeded')
    ORDER BY q.priority DESC, q.id
    LIMIT 1)
  AND NOT (SELECT paused FROM queue_settings WHERE id = 1)
RETURNING id;
