UPDATE jobs SET lease_expires_ms = :now + :lease_ms
WHERE id = :id AND state = 'running'
  AND owner_host = :host AND owner_boot_id = :boot_id AND owner_pid = :pid
RETURNING cancel_requested;
