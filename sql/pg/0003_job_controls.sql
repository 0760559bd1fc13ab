-- renderq PostgreSQL schema, version 3: per-job controls, as SQLite's
-- sql/0004_job_controls.sql: held, not_before_ms, labels.
ALTER TABLE jobs ADD COLUMN held boolean NOT NULL DEFAULT false;
ALTER TABLE jobs ADD COLUMN not_before_ms bigint;
ALTER TABLE jobs ADD COLUMN labels jsonb NOT NULL DEFAULT '{}'::jsonb;

-- A view's `jobs.*` is expanded when it is created: make it again so that
-- it has the new columns.
DROP VIEW job_rows;
CREATE VIEW job_rows AS
  SELECT jobs.*,
         (SELECT string_agg(dep_id::text, ',' ORDER BY dep_id) FROM job_deps
          WHERE job_deps.job_id = jobs.id) AS after_ids
  FROM jobs;
