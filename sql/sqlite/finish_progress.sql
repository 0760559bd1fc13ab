-- The progress a worker reported last, stored with the attempt's outcome
-- (inside finish's transaction) instead of in a transaction of its own.
UPDATE jobs SET progress_done = :done, progress_total = :total WHERE id = :id;
