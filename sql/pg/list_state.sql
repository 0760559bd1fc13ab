-- Newest first within one state (jobs_state_id); $1 state, $2 before, $3 limit,
-- $4 a name regex ('' = all).
SELECT * FROM job_rows WHERE state = $1 AND id < $2 AND ($4 = '' OR name ~ $4) ORDER BY id DESC LIMIT $3;
