-- The highest job id ever handed out: the identity sequence's last value
-- (NULL before the first job), which purges do not lower.
SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('jobs', 'id')::regclass), 0) AS last_id;
