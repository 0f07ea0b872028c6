-- 0001_leaf_rebuild.sql: written by `eventuall generate webapp leaf_rebuild` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

-- rebuild of logs: column level: DEFAULT 'info' -> 'debug'
CREATE TABLE __new_logs (
  id TEXT PRIMARY KEY NOT NULL,
  message TEXT NOT NULL,
  level TEXT NOT NULL DEFAULT 'debug',
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
-- copy the rows of logs
INSERT INTO __new_logs (id, message, level, created_at) SELECT id, message, level, created_at FROM logs;
-- no kept table references logs (dropped tables that did are gone by now), so dropping it deletes no other rows
DROP TABLE logs;
-- the copy takes the table's name
ALTER TABLE __new_logs RENAME TO logs;
