DELETE FROM daemons WHERE host = $1 AND boot_id = $2 AND pid = $3;
