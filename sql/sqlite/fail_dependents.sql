-- Every queued job that depends on :id, directly or through other jobs,
-- takes on_dependency_failed (spool/job_transitions.hpp): failed with
-- :error_code and :message instead of waiting forever. Ids only grow along
-- dependencies, so the recursion ends.
WITH RECURSIVE doomed(id) AS (
  SELECT job_id FROM job_deps WHERE dep_id = :id
  UNION
  SELECT d.job_id FROM job_deps AS d JOIN doomed ON d.dep_id = doomed.id
)
UPDATE jobs
SET state = 'failed',
    finished_ms = :now,
    error_code = :error_code,
    error_message = :message
WHERE state = 'queued' AND id IN (SELECT id FROM doomed)
RETURNING id;
