-- The state of a dependency at submit, share-locked so that it cannot fail
-- between this read and the new job's commit (its finish then waits, and its
-- dependents cascade sees the new job).
SELECT state FROM jobs WHERE id = $1 FOR SHARE;
