-- How much of source $2 (a log file on one host) job $1's log holds: the
-- offset in that file where the next copy starts.
SELECT coalesce(max(source_offset + length(chunk)), 0) AS n FROM job_log WHERE job_id = $1 AND source = $2;
