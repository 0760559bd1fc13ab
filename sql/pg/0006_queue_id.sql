-- renderq PostgreSQL schema, version 6: the queue's identity, a random id
-- made once per database. `renderq serve --shared-dir DIR` writes it into
-- DIR/.renderq-queue and refuses a folder that holds another queue's id:
-- two queues sharing one folder would remove each other's job folders
-- (their sweepers see ids their own database lacks) and mix uploads.
ALTER TABLE queue_settings ADD COLUMN queue_id TEXT NOT NULL DEFAULT (gen_random_uuid()::text);
