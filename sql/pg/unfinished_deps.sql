-- Dependencies of $1 that failed or were canceled (purged ones count as met).
SELECT p.id, p.state FROM job_deps AS d JOIN jobs AS p ON p.id = d.dep_id
WHERE d.job_id = $1 AND p.state IN ('failed', 'canceled')
ORDER BY p.id;
