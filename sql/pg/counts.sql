-- Jobs per state. Counted, not kept by triggers as on SQLite: a counter row
-- updated by every claim and finish would serialise the claimers of all
-- hosts on its row lock.
SELECT state, count(*) AS n FROM jobs GROUP BY state;
