-- Newest first within one state (jobs_state_id); $1 state, $2 before, $3 limit,
-- $4 a name regex ('' = all), $5 a label name ('' = all) whose value must be $6.
SELECT * FROM job_rows WHERE state = $1 AND id < $2 AND ($4 = '' OR name ~ $4)
  AND ($5 = '' OR labels ->> $5 = $6) ORDER BY id DESC LIMIT $3;
