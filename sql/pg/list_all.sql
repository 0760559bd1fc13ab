-- Newest first through the primary key; $1 before, $2 limit (NULL = all).
SELECT * FROM job_rows WHERE id < $1 ORDER BY id DESC LIMIT $2;
