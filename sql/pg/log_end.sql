-- The byte length of job $1's log so far (0 when it has none).
SELECT coalesce(max(start + length(chunk)), 0) AS n FROM job_log WHERE job_id = $1;
