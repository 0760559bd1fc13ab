-- Whether the queue holds any job (an import goes into an empty queue only).
SELECT EXISTS (SELECT 1 FROM jobs) AS any;
