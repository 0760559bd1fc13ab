-- The state machine's row of one job, locked until the transaction ends;
-- no row when it does not exist.
SELECT state, attempts, max_attempts, cancel_requested, error_code FROM jobs WHERE id = $1 FOR UPDATE;
