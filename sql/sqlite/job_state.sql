-- The state of one job; no row when it does not exist.
SELECT state FROM jobs WHERE id = :id;
