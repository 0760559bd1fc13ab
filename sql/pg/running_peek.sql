-- requeue_expired's first look, without locks: daemons call it often and
-- there is usually nothing to do.
SELECT id, owner_host, owner_boot_id, owner_pid, lease_expires_ms FROM jobs WHERE state = 'running';
