-- 0001_recording_key_per_event.sql: written by `eventuall generate workers recording_key_per_event` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

-- index cloudcaster_sessions_idempotency_key_idx is no longer declared
DROP INDEX cloudcaster_sessions_idempotency_key_idx;
-- new index on cloudcaster_sessions
CREATE UNIQUE INDEX cloudcaster_sessions_event_id_idempotency_key_idx ON cloudcaster_sessions (event_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
