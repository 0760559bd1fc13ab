-- Finished jobs that finished before :cutoff (jobs_finished).
SELECT id FROM jobs
WHERE finished_ms < :cutoff AND state IN ('succeeded', 'failed', 'canceled')
ORDER BY id;
