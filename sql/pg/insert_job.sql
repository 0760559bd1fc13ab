-- submit: one new job. $1 state, $2 name, $3 spec, $4 priority, $5 now,
-- $6 finished, $7 max attempts, $8 timeout, $9 error code, $10 message,
-- $11 held, $12 not before, $13 labels (JSON object text)
INSERT INTO jobs (state, name, spec, priority, created_ms, finished_ms, max_attempts, timeout_ms,
                  error_code, error_message, held, not_before_ms, labels)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)
RETURNING id;
