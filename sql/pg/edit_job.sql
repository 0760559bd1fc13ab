-- hold / release / priority / not-before of a queued job (the caller holds
-- its row lock). $1 id, $2 held or NULL, $3 priority or NULL, $4 whether to
-- set not_before_ms, $5 the new value (NULL = at once).
UPDATE jobs
SET held = coalesce($2::boolean, held),
    priority = coalesce($3::integer, priority),
    not_before_ms = CASE WHEN $4::boolean THEN $5::bigint ELSE not_before_ms END
WHERE id = $1;
