SELECT queue_id FROM queue_settings WHERE id = 1;
