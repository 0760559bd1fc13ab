-- The spec of a job just inserted, after NewJob::place_files moved its
-- files (same transaction as the insert).
UPDATE jobs SET spec = $2 WHERE id = $1;
