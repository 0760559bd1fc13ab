-- claim's first look, a plain read that takes no write lock: is any job
-- claimable? Idle daemons poll with this, so they do not queue up for the
-- write lock behind submitters when there is nothing to take.
SELECT 1 FROM jobs AS q INDEXED BY jobs_claim_order
WHERE q.state = 'queued'
  AND NOT EXISTS (SELECT 1 FROM job_deps AS d JOIN jobs AS p ON p.id = d.dep_id
                  WHERE d.job_id = q.id AND p.state <> 'succeeded')
  AND NOT (SELECT paused FROM queue_settings WHERE id = 1)
LIMIT 1;
