-- Finished jobs that finished before :cutoff, oldest first. Through
-- jobs_finished, so purge reads only the jobs it removes.
SELECT id FROM jobs INDEXED BY jobs_finished
WHERE finished_ms < :cutoff AND state IN ('succeeded', 'failed', 'canceled')
ORDER BY finished_ms;
