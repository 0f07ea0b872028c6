-- 0001_new_child_table.sql: written by `eventuall generate webapp new_child_table` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

-- new table tags
CREATE TABLE tags (
  id TEXT PRIMARY KEY NOT NULL,
  parent_id TEXT NOT NULL REFERENCES parents (id) ON DELETE CASCADE,
  label TEXT NOT NULL
) STRICT;
