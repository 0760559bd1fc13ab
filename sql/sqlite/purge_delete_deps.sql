DELETE FROM job_deps WHERE job_id = :id;
