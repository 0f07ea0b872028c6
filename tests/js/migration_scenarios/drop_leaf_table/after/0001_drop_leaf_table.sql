-- 0001_drop_leaf_table.sql: written by `eventuall generate webapp drop_leaf_table` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).
-- warning: drops table logs and all its rows

-- table logs is no longer declared (its rows are lost)
DROP TABLE logs;
