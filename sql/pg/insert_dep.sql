INSERT INTO job_deps (job_id, dep_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;
