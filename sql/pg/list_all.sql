-- Newest first through the primary key; $1 before, $2 limit (NULL = all),
-- $3 a name regex ('' = all; spool/name_glob.hpp turns --name's GLOB into it).
SELECT * FROM job_rows WHERE id < $1 AND ($3 = '' OR name ~ $3) ORDER BY id DESC LIMIT $2;
