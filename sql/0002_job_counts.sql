-- renderq spool schema, version 2: jobs per state, kept by triggers, so
-- counts() (the HTTP status page, `renderq list` summaries) reads five rows
-- instead of counting a million finished jobs (measured: 0.3 s at 1M jobs).

CREATE TABLE job_counts (
  state TEXT PRIMARY KEY,
  n     INTEGER NOT NULL
) WITHOUT ROWID;

WITH s(state) AS (VALUES ('queued'), ('running'), ('succeeded'), ('failed'), ('canceled'))
INSERT INTO job_counts (state, n)
SELECT s.state, (SELECT count(*) FROM jobs WHERE jobs.state = s.state) FROM s;

CREATE TRIGGER jobs_count_insert AFTER INSERT ON jobs BEGIN
  UPDATE job_counts SET n = n + 1 WHERE state = NEW.state;
END;

CREATE TRIGGER jobs_count_delete AFTER DELETE ON jobs BEGIN
  UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
END;

CREATE TRIGGER jobs_count_update AFTER UPDATE OF state ON jobs WHEN OLD.state <> NEW.state BEGIN
  UPDATE job_counts SET n = n - 1 WHERE state = OLD.state;
  UPDATE job_counts SET n = n + 1 WHERE state = NEW.state;
END;
