-- Job $1's log chunks that end after byte offset $2, in order, as hex text.
SELECT start, encode(chunk, 'hex') AS hex FROM job_log
WHERE job_id = $1 AND start + length(chunk) > $2
ORDER BY start;
