-- renderq spool schema, version 5: who a job acts for (issue 13, shared
-- spools). submitter_uid: the real user id of the process that submitted
-- it (the submit helper's caller, or the HTTP server's own user); the
-- daemon runs the job as this user and only they (or root, or the spool's
-- owner) may change it. NULL on rows from before: the spool owner's.
ALTER TABLE jobs ADD COLUMN submitter_uid INTEGER CHECK (submitter_uid IS NULL OR submitter_uid >= 0);
