-- renderq PostgreSQL schema, version 4: who a job acts for, as SQLite's
-- sql/0005_submitter.sql (the submitting process's real user id).
ALTER TABLE jobs ADD COLUMN submitter_uid bigint CHECK (submitter_uid IS NULL OR submitter_uid >= 0);

DROP VIEW job_rows;
CREATE VIEW job_rows AS
  SELECT jobs.*,
         (SELECT string_agg(dep_id::text, ',' ORDER BY dep_id) FROM job_deps
          WHERE job_deps.job_id = jobs.id) AS after_ids
  FROM jobs;
