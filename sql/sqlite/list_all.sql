-- Newest first; walks the primary key backwards, so it reads only :limit rows
-- (-1 = all) however many jobs the table holds.
SELECT * FROM job_rows WHERE id < :before AND (:name = '' OR name GLOB :name) ORDER BY id DESC LIMIT :limit;
