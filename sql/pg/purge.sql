-- Finished jobs that finished before $1 and their dependency rows, removed;
-- their ids in finish order.
WITH gone AS (
  DELETE FROM jobs WHERE finished_ms < $1 AND state IN ('succeeded', 'failed', 'canceled')
  RETURNING id, finished_ms
), deps AS (
  DELETE FROM job_deps WHERE job_id IN (SELECT id FROM gone)
)
SELECT id FROM gone ORDER BY finished_ms, id;
