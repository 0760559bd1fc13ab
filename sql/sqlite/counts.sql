SELECT state, count(*) AS n FROM jobs GROUP BY state;
