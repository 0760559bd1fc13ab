-- import: one job copied from a spool with its own id and every field that
-- outlives a run. $1 id, $2 state, $3 name, $4 spec, $5 priority,
-- $6 created, $7 started, $8 finished, $9 attempts, $10 max attempts,
-- $11 timeout, $12 error code, $13 message, $14 worker, $15 device,
-- $16 progress done, $17 progress total, $18 kind, $19 exec JSON,
-- $20 held, $21 not before, $22 labels (JSON object text), $23 submitter uid
INSERT INTO jobs (id, state, name, spec, priority, created_ms, started_ms, finished_ms, attempts, max_attempts,
                  timeout_ms, error_code, error_message, worker, device, progress_done, progress_total, kind,
                  exec_json, held, not_before_ms, labels, submitter_uid)
OVERRIDING SYSTEM VALUE
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
        $22::jsonb, $23);
