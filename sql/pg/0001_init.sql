-- renderq queue schema on PostgreSQL, version 1. Applied once, inside the
-- migration transaction that holds the migration advisory lock (spool/
-- pg_migrate.cpp); never edit a shipped migration: add 0002_*.sql instead.
-- The same rows as SQLite's sql/0001_init.sql, in PostgreSQL's types.

CREATE TABLE jobs (
  -- A sequence: an id is never reused, even after purge.
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  state            TEXT    NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
  name             TEXT    NOT NULL DEFAULT '',
  -- The RenderSpec as versioned JSON text (core/render_spec.hpp), the one
  -- source of truth, kept byte for byte as submitted.
  spec             TEXT    NOT NULL CHECK (spec::jsonb IS NOT NULL),
  priority         INTEGER NOT NULL DEFAULT 0,
  created_ms       BIGINT  NOT NULL,
  started_ms       BIGINT,
  finished_ms      BIGINT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL DEFAULT 1 CHECK (max_attempts >= 1),
  timeout_ms       BIGINT,
  error_code       TEXT    NOT NULL DEFAULT '',
  error_message    TEXT    NOT NULL DEFAULT '',
  -- The lease holder while running: host + boot id + pid fence a process,
  -- and the attempt number fences one run of it (see pg/finish_*.sql).
  owner_host       TEXT,
  owner_boot_id    TEXT,
  owner_pid        BIGINT,
  lease_expires_ms BIGINT,
  worker           TEXT    NOT NULL DEFAULT '',
  device           TEXT    NOT NULL DEFAULT '',
  progress_done    INTEGER NOT NULL DEFAULT 0,
  progress_total   INTEGER NOT NULL DEFAULT 0,
  cancel_requested BOOLEAN NOT NULL DEFAULT false
);

-- Claim order over queued rows only: claim costs the same with a thousand or
-- a million finished jobs.
CREATE INDEX jobs_claim_order ON jobs (priority DESC, id) WHERE state = 'queued';
CREATE INDEX jobs_state_id ON jobs (state, id);
CREATE INDEX jobs_finished ON jobs (finished_ms) WHERE finished_ms IS NOT NULL;

CREATE TABLE job_deps (
  job_id BIGINT NOT NULL,
  dep_id BIGINT NOT NULL,
  PRIMARY KEY (job_id, dep_id)
);
CREATE INDEX job_deps_dep ON job_deps (dep_id, job_id);

CREATE TABLE queue_settings (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  paused BOOLEAN NOT NULL DEFAULT false
);
INSERT INTO queue_settings (id, paused) VALUES (1, false);

-- Jobs per state, as deltas: every statement that adds, removes or moves
-- jobs between states inserts rows here and none is ever updated, so claimers
-- and finishers on many hosts never wait on a shared counter row (they would
-- on a table of five counters). counts() sums the rows (sql/pg/counts.sql)
-- and folds them into one row per state when they pile up
-- (sql/pg/compact_counts.sql). Counting the jobs instead took 0.28 s at
-- 1M jobs (bench/store_bench.sh).
CREATE TABLE job_count_deltas (
  state TEXT   NOT NULL,
  n     BIGINT NOT NULL
);
CREATE FUNCTION renderq_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO job_count_deltas (state, n) SELECT state, count(*) FROM new_rows GROUP BY state;
  RETURN NULL;
END;
$$;
CREATE FUNCTION renderq_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO job_count_deltas (state, n) SELECT state, -count(*) FROM old_rows GROUP BY state;
  RETURN NULL;
END;
$$;
-- Updates that leave the state alone (renew, progress) add nothing.
CREATE FUNCTION renderq_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO job_count_deltas (state, n)
  SELECT s, sum(d) FROM (
    SELECT o.state AS s, -1 AS d FROM old_rows AS o JOIN new_rows AS w ON w.id = o.id WHERE o.state <> w.state
    UNION ALL
    SELECT w.state, 1 FROM old_rows AS o JOIN new_rows AS w ON w.id = o.id WHERE o.state <> w.state
  ) AS moves GROUP BY s;
  RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_count_insert AFTER INSERT ON jobs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION renderq_count_inserted();
CREATE TRIGGER jobs_count_delete AFTER DELETE ON jobs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION renderq_count_deleted();
CREATE TRIGGER jobs_count_update AFTER UPDATE ON jobs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION renderq_count_moved();

-- A job row with its dependencies as "1,5,9": what every read returns.
CREATE VIEW job_rows AS
  SELECT jobs.*,
         (SELECT string_agg(dep_id::text, ',' ORDER BY dep_id) FROM job_deps
          WHERE job_deps.job_id = jobs.id) AS after_ids
  FROM jobs;

-- Waiters (`renderq wait`, PgStore::change_marker) LISTEN on renderq_changes:
-- every commit that changed a job's state, progress or cancel flag, or added
-- or removed a job, notifies it once (NOTIFY folds duplicates in a
-- transaction and delivers only on commit).
CREATE FUNCTION renderq_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('renderq_changes', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_changed_rows AFTER INSERT OR DELETE ON jobs
  FOR EACH STATEMENT EXECUTE FUNCTION renderq_note_change();
CREATE TRIGGER jobs_changed_state AFTER UPDATE ON jobs FOR EACH ROW
  WHEN ((OLD.state, OLD.progress_done, OLD.progress_total, OLD.cancel_requested)
        IS DISTINCT FROM (NEW.state, NEW.progress_done, NEW.progress_total, NEW.cancel_requested))
  EXECUTE FUNCTION renderq_note_change();
CREATE TRIGGER settings_changed AFTER UPDATE ON queue_settings
  FOR EACH STATEMENT EXECUTE FUNCTION renderq_note_change();
