-- $1 id, $2 worker ("host:pid"), $3 host, $4 boot id, $5 pid
UPDATE jobs SET worker = $2
WHERE id = $1 AND state = 'running' AND owner_host = $3 AND owner_boot_id = $4 AND owner_pid = $5
RETURNING id;
