-- Appends $2 (bytea, hex text) to job $1's log at byte offset $3, the end
-- the writer last saw; fails on the key when that offset is taken already.
INSERT INTO job_log (job_id, start, chunk) VALUES ($1, $3, decode($2, 'hex'));
