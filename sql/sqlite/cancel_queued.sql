UPDATE jobs SET state = 'canceled', finished_ms = :now, error_code = 'canceled',
                error_message = 'canceled while queued'
WHERE id = :id AND state = 'queued';
