-- 0001_additive_column_with_index.sql: written by `eventuall generate webapp additive_column_with_index` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

-- new column parents.nickname
ALTER TABLE parents ADD COLUMN nickname TEXT;
-- new index on parents
CREATE INDEX parents_nickname_idx ON parents (nickname);
