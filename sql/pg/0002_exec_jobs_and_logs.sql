-- renderq queue schema on PostgreSQL, version 2: command jobs and job logs
-- in the database.
--
-- Command jobs (`renderq submit --exec`), as SQLite's sql/0003_exec_jobs.sql:
-- `kind` says whether a row is a render or a command, and a command's
-- ExecSpec (core/exec_spec.hpp) is the versioned JSON in `exec_json`; its
-- `spec` holds a default RenderSpec. Rows written before this version are
-- renders.
ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'render' CHECK (kind IN ('render', 'exec'));
ALTER TABLE jobs ADD COLUMN exec_json TEXT CHECK (exec_json IS NULL OR exec_json::jsonb IS NOT NULL);
ALTER TABLE jobs ADD CONSTRAINT jobs_exec_json_iff_exec CHECK ((kind = 'exec') = (exec_json IS NOT NULL));

-- The view lists jobs' columns as they were when it was made: make it again
-- so that it carries the new ones.
DROP VIEW job_rows;
CREATE VIEW job_rows AS
  SELECT jobs.*,
         (SELECT string_agg(dep_id::text, ',' ORDER BY dep_id) FROM job_deps
          WHERE job_deps.job_id = jobs.id) AS after_ids
  FROM jobs;

-- A job's log, kept in the database so that `renderq logs ID [--follow]`
-- works on any host. The daemon that runs the job writes a log file on its
-- own host and copies what the file gained into this table, in chunks; a
-- chunk is keyed by its source (the file: the host's name and a token made
-- with the file) and its offset in that file, so copying a range again (a
-- daemon killed between a copy and its bookkeeping, then restarted) changes
-- nothing, and a copier resumes where the table says its file ends. Readers
-- read the chunks in the order they were stored (seq) and count bytes.
-- Purging a job removes its log.
CREATE TABLE job_log (
  job_id        BIGINT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq           BIGINT GENERATED ALWAYS AS IDENTITY,
  source        TEXT   NOT NULL,
  source_offset BIGINT NOT NULL CHECK (source_offset >= 0),
  chunk         BYTEA  NOT NULL,
  PRIMARY KEY (job_id, source, source_offset)
);
CREATE INDEX job_log_order ON job_log (job_id, seq);
