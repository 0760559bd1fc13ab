SELECT * FROM job_rows WHERE id = :id;
