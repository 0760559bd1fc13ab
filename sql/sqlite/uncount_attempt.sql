-- The daemon stopped an attempt itself (shutdown) and gave the job back:
-- that attempt does not count against max_attempts.
UPDATE jobs SET attempts = attempts - 1 WHERE id = :id AND attempts > 0;
