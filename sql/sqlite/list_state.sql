-- Newest first within one state, through jobs_state_id. Several states are
-- listed by running this once per state and merging (each run is bounded
-- by :limit). Filters as sqlite/list_all.sql.
SELECT * FROM job_rows WHERE state = :state AND id < :before AND (:name = '' OR name GLOB :name)
  AND (:label_key = '' OR json_extract(labels, '$."' || :label_key || '"') = :label_value)
  AND (:users = '' OR submitter_uid IN (SELECT value FROM json_each(:users)))
ORDER BY id DESC LIMIT :limit;
