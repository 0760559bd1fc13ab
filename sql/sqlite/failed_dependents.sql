-- Direct dependents of :id that failed only because a dependency did: retry
-- brings them back once none of their dependencies is failed or canceled.
SELECT d.job_id AS id FROM job_deps AS d JOIN jobs AS j ON j.id = d.job_id
WHERE d.dep_id = :id AND j.state = 'failed' AND j.error_code = 'dependency_failed'
ORDER BY d.job_id;
