-- Newest first through the primary key; $1 before, $2 limit (NULL = all),
-- $3 a name regex ('' = all; spool/name_glob.hpp turns --name's GLOB into it),
-- $4 a label name ('' = all) whose value must be $5, $6 an array of
-- submitter uids (NULL = all) whose jobs only.
SELECT * FROM job_rows WHERE id < $1 AND ($3 = '' OR name ~ $3)
  AND ($4 = '' OR labels ->> $4 = $5)
  AND ($6::bigint[] IS NULL OR submitter_uid = ANY ($6::bigint[])) ORDER BY id DESC LIMIT $2;
