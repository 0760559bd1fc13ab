-- submit: one new job. $1 state, $2 name, $3 spec, $4 priority, $5 now,
-- $6 finished, $7 max attempts, $8 timeout, $9 error code, $10 message,
-- $11 kind ('render' or 'exec'), $12 the command's ExecSpec JSON (NULL for a render),
-- $13 held, $14 not before, $15 labels (JSON object text), $16 submitter uid
INSERT INTO jobs (state, name, spec, priority, created_ms, finished_ms, max_attempts, timeout_ms,
                  error_code, error_message, kind, exec_json, held, not_before_ms, labels, submitter_uid)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16)
RETURNING id;
