-- What the state machine needs of one job; no row when it does not exist.
SELECT state, attempts, max_attempts, cancel_requested, error_code FROM jobs WHERE id = :id;
