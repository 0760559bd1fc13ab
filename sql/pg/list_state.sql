-- Newest first within one state (jobs_state_id); $1 state, $2 before, $3 limit,
-- $4 a name regex ('' = all), $5 a label name ('' = all) whose value must be $6,
-- $7 an array of submitter uids (NULL = all) whose jobs only.
SELECT * FROM job_rows WHERE state = $1 AND id < $2 AND ($4 = '' OR name ~ $4)
  AND ($5 = '' OR labels ->> $5 = $6)
  AND ($7::bigint[] IS NULL OR submitter_uid = ANY ($7::bigint[])) ORDER BY id DESC LIMIT $3;
