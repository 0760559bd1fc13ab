-- renderq spool schema, version 3: command jobs (`renderq submit --exec`).
-- A job is either a render (its RenderSpec in `spec`, as before) or a
-- command: `kind` says which, and a command's ExecSpec (core/exec_spec.hpp)
-- is the versioned JSON in `exec_json`. A command job's `spec` holds a
-- default RenderSpec, so the columns generated from it (scene, output,
-- width, ...) stay valid and harmless; rows written before this version are
-- renders.

ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'render' CHECK (kind IN ('render', 'exec'));
ALTER TABLE jobs ADD COLUMN exec_json TEXT
  CHECK (exec_json IS NULL OR json_valid(exec_json))
  CHECK ((kind = 'exec') = (exec_json IS NOT NULL));
