-- renderq spool schema, version 4: per-job controls (issue 16).
-- held: a queued job the claim skips until `renderq release` (Slurm's
--   hold; the job stays 'queued', so the state machine is unchanged).
-- not_before_ms: the claim skips the job before this time (`--not-before`,
--   Slurm's --begin); NULL = at once.
-- labels: a JSON object of string values (`--label K=V`), for `list --label`.
ALTER TABLE jobs ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));
ALTER TABLE jobs ADD COLUMN not_before_ms INTEGER;
ALTER TABLE jobs ADD COLUMN labels TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(labels));
