-- GET /api/v1/rotations?state=… (any rotations:read caller) and the NEEDS_ATTENTION metric read every
-- scheduler round filter on state: without an index both counted the whole table (0.4 s and three
-- PostgreSQL processes at a million runs for state=CLOSED). Runs are never deleted.
create index rotation_run_state on rotation_run (state, created_at desc);
