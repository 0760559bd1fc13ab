-- Every queued job that depends on $1, directly or through other jobs, takes
-- on_dependency_failed (spool/job_transitions.hpp): failed with $3 and $4.
WITH RECURSIVE doomed(id) AS (
  SELECT job_id FROM job_deps WHERE dep_id = $1
  UNION
  SELECT d.job_id FROM job_deps AS d JOIN doomed ON d.dep_id = doomed.id
)
UPDATE jobs
SET state = 'failed', finished_ms = $2, error_code = $3, error_message = $4
WHERE state = 'queued' AND id IN (SELECT id FROM doomed);
