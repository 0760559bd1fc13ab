-- hold / release / priority / not-before of a queued job (the caller has
-- checked the state inside the transaction). A NULL parameter keeps the
-- column, except not_before_ms, which :set_not_before says whether to set.
UPDATE jobs
SET held = coalesce(:held, held),
    priority = coalesce(:priority, priority),
    not_before_ms = CASE WHEN :set_not_before THEN :not_before_ms ELSE not_before_ms END
WHERE id = :id;
