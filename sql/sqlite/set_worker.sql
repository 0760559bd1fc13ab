UPDATE jobs SET worker = :worker
WHERE id = :id AND state = 'running'
  AND owner_host = :host AND owner_boot_id = :boot_id AND owner_pid = :pid
RETURNING id;
