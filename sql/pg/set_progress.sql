-- $1 id, $2 done, $3 total, $4 host, $5 boot id, $6 pid
UPDATE jobs SET progress_done = $2, progress_total = $3
WHERE id = $1 AND state = 'running' AND owner_host = $4 AND owner_boot_id = $5 AND owner_pid = $6
RETURNING id;
