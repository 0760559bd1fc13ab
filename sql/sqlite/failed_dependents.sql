-- Direct dependents of :id that failed (the state machine's rows): retry
-- brings back those that failed only because a dependency did, once none of
-- their dependencies is failed or canceled (on_dependency_retried).
SELECT j.id, j.state, j.attempts, j.max_attempts, j.cancel_requested, j.error_code
FROM job_deps AS d JOIN jobs AS j ON j.id = d.job_id
WHERE d.dep_id = :id AND j.state = 'failed'
ORDER BY d.job_id;
