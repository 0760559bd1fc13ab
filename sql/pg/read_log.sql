-- Job $1's log chunks, in the order they were stored, that end after byte
-- offset $2 of the whole log; each with the offset where it starts.
SELECT start, hex FROM (
  SELECT sum(length(chunk)) OVER (ORDER BY seq) - length(chunk) AS start, length(chunk) AS n,
         encode(chunk, 'hex') AS hex, seq
  FROM job_log WHERE job_id = $1
) AS c
WHERE start + n > $2
ORDER BY seq;
