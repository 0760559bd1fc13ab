SELECT * FROM job_rows WHERE id = $1;
