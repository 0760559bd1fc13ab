-- The ids among :ids (a JSON array of job ids) that name a stored job, ascending.
SELECT id FROM jobs WHERE id IN (SELECT value FROM json_each(:ids)) ORDER BY id;
