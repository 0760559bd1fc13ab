-- A running job: the daemon sees the flag on its next lease renewal.
UPDATE jobs SET cancel_requested = 1 WHERE id = :id AND state = 'running';
