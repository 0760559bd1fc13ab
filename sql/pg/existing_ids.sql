-- The ids among $1 (an array of job ids) that name a stored job, ascending.
SELECT id FROM jobs WHERE id = ANY ($1::bigint[]) ORDER BY id;
