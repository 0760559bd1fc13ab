-- Newest first within one state (jobs_state_id); $1 state, $2 before, $3 limit.
SELECT * FROM job_rows WHERE state = $1 AND id < $2 ORDER BY id DESC LIMIT $3;
