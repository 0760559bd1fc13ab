DELETE FROM daemons WHERE host = :host AND boot_id = :boot_id AND pid = :pid;
