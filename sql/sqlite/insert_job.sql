-- submit: one new job. The caller inserts its dependencies next.
INSERT INTO jobs (state, name, spec, priority, created_ms, finished_ms, max_attempts, timeout_ms,
                  error_code, error_message)
VALUES (:state, :name, :spec, :priority, :now, :finished_ms, :max_attempts, :timeout_ms,
        :error_code, :error_message)
RETURNING id;
