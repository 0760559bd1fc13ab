-- renderq spool schema, version 1 (SQLite dialect).
-- Applied once, inside the migration transaction; never edit a shipped
-- migration: add sql/0002_*.sql instead.

-- Marks the file as a renderq spool ("RNDQ"), so a foreign SQLite file is
-- refused instead of being migrated.
PRAGMA application_id = 1380861009;

CREATE TABLE jobs (
  -- AUTOINCREMENT: an id is never reused, even after purge, because scripts
  -- and job folders (jobs/<id>/) remember ids.
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  state            TEXT    NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
  name             TEXT    NOT NULL DEFAULT '',
  -- The RenderSpec as versioned JSON (core/render_spec.hpp): the one source
  -- of truth. The columns below are derived from it so they cannot drift.
  spec             TEXT    NOT NULL CHECK (json_valid(spec)),
  scene            TEXT    GENERATED ALWAYS AS (json_extract(spec, '$.scene')) VIRTUAL,
  output           TEXT    GENERATED ALWAYS AS (json_extract(spec, '$.output')) VIRTUAL,
  width            INTEGER GENERATED ALWAYS AS (json_extract(spec, '$.width')) VIRTUAL,
  height           INTEGER GENERATED ALWAYS AS (json_extract(spec, '$.height')) VIRTUAL,
  samples          INTEGER GENERATED ALWAYS AS (json_extract(spec, '$.samples')) VIRTUAL,
  frames           INTEGER GENERATED ALWAYS AS (json_extract(spec, '$.frames')) VIRTUAL,
  priority         INTEGER NOT NULL DEFAULT 0,
  created_ms       INTEGER NOT NULL,
  started_ms       INTEGER,
  finished_ms      INTEGER,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
  timeout_ms       INTEGER,
  error_code       TEXT    NOT NULL DEFAULT '',
  error_message    TEXT    NOT NULL DEFAULT '',
  -- The lease holder while running: host + boot id + pid fence a process.
  owner_host       TEXT,
  owner_boot_id    TEXT,
  owner_pid        INTEGER,
  lease_expires_ms INTEGER,
  worker           TEXT    NOT NULL DEFAULT '',
  device           TEXT    NOT NULL DEFAULT '',
  progress_done    INTEGER NOT NULL DEFAULT 0,
  progress_total   INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0
);

-- Claim order: only queued rows are in this index, so claim costs the same
-- whether the table holds a thousand or a million finished jobs.
CREATE INDEX jobs_claim_order ON jobs (priority DESC, id) WHERE state = 'queued';
-- list --state S (newest first), requeue_expired (state = 'running'), counts.
CREATE INDEX jobs_state_id ON jobs (state, id);
-- purge: finished jobs by finish time.
CREATE INDEX jobs_finished ON jobs (finished_ms) WHERE finished_ms IS NOT NULL;

-- `--after ID`: job_id runs only after dep_id succeeded.
CREATE TABLE job_deps (
  job_id INTEGER NOT NULL,
  dep_id INTEGER NOT NULL,
  PRIMARY KEY (job_id, dep_id)
) WITHOUT ROWID;
-- Dependents of a job (failure cascade, retry cascade).
CREATE INDEX job_deps_dep ON job_deps (dep_id, job_id);

-- One row of queue-wide settings; `paused` survives restarts.
CREATE TABLE queue_settings (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  paused INTEGER NOT NULL DEFAULT 0
);
INSERT INTO queue_settings (id, paused) VALUES (1, 0);

-- A job row with its dependencies as "1,5,9": what every read returns.
CREATE VIEW job_rows AS
  SELECT jobs.*,
         (SELECT group_concat(dep_id) FROM job_deps WHERE job_deps.job_id = jobs.id) AS after_ids
  FROM jobs;
