SELECT paused FROM queue_settings WHERE id = 1;
