UPDATE queue_settings SET paused = $1 WHERE id = 1;
