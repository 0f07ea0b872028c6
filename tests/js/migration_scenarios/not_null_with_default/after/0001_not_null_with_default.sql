-- 0001_not_null_with_default.sql: written by `eventuall generate webapp not_null_with_default` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

-- new column logs.attempts
ALTER TABLE logs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
