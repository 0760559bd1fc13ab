-- Folds the count deltas into one row per state. Rows inserted meanwhile by
-- other transactions are not in this statement's snapshot and stay as they
-- are; a concurrent compaction skips the rows this one deleted. The sums
-- never change.
WITH gone AS (DELETE FROM job_count_deltas RETURNING state, n)
INSERT INTO job_count_deltas (state, n) SELECT state, sum(n) FROM gone GROUP BY state;
