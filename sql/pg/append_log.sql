-- Appends $4 (bytea, hex text) to job $1's log: bytes from offset $3 of
-- source $2 (a log file on one host). A range copied before is left alone.
INSERT INTO job_log (job_id, source, source_offset, chunk) VALUES ($1, $2, $3, decode($4, 'hex'))
ON CONFLICT DO NOTHING;
