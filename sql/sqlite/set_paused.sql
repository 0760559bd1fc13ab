UPDATE queue_settings SET paused = :paused WHERE id = 1;
