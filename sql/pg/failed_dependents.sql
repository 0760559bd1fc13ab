-- Direct dependents of $1 that failed (the state machine's rows), locked:
-- retry brings back those that failed only because a dependency did.
SELECT j.id, j.state, j.attempts, j.max_attempts, j.cancel_requested, j.error_code
FROM job_deps AS d JOIN jobs AS j ON j.id = d.job_id
WHERE d.dep_id = $1 AND j.state = 'failed'
ORDER BY d.job_id
FOR UPDATE OF j;
