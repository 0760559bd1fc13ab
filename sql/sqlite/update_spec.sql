-- The spec of a job just inserted, after NewJob::place_files moved its
-- files into the job's folder (same transaction as the insert).
UPDATE jobs SET spec = :spec WHERE id = :id;
