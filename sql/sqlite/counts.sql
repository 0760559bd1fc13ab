-- Jobs per state, from the trigger-maintained job_counts (sql/0002).
SELECT state, n FROM job_counts;
