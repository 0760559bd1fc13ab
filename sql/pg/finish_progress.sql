-- The progress a worker reported last, stored with the attempt's outcome.
UPDATE jobs SET progress_done = $2, progress_total = $3 WHERE id = $1;
