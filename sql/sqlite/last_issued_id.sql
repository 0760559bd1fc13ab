-- The highest job id ever handed out (AUTOINCREMENT keeps it past purges);
-- no row before the first job.
SELECT seq FROM sqlite_sequence WHERE name = 'jobs';
