-- Jobs per state: the sum of the deltas the triggers of 0001_init.sql keep,
-- and how many delta rows there are (compact_counts.sql folds them).
SELECT state, sum(n)::bigint AS n, count(*) AS deltas FROM job_count_deltas GROUP BY state;
