-- Newest first; walks the primary key backwards, so it reads only :limit rows
-- (-1 = all) however many jobs the table holds. :label_key = '' or only
-- jobs whose label :label_key is :label_value (keys are [A-Za-z0-9_.-]).
-- :users = '' or a JSON array of submitter uids: only their jobs.
SELECT * FROM job_rows WHERE id < :before AND (:name = '' OR name GLOB :name)
  AND (:label_key = '' OR json_extract(labels, '$."' || :label_key || '"') = :label_value)
  AND (:users = '' OR submitter_uid IN (SELECT value FROM json_each(:users)))
ORDER BY id DESC LIMIT :limit;
