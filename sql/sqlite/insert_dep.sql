INSERT OR IGNORE INTO job_deps (job_id, dep_id) VALUES (:job_id, :dep_id);
