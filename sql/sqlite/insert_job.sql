-- submit: one new job. The caller inserts its dependencies next.
-- :kind is 'render' or 'exec'; :exec_json is NULL for a render.
INSERT INTO jobs (state, name, spec, priority, created_ms, finished_ms, max_attempts, timeout_ms,
                  error_code, error_message, kind, exec_json, held, not_before_ms, labels, submitter_uid)
VALUES (:state, :name, :spec, :priority, :now, :finished_ms, :max_attempts, :timeout_ms,
        :error_code, :error_message, :kind, :exec_json, :held, :not_before_ms, :labels, :submitter_uid)
RETURNING id;
