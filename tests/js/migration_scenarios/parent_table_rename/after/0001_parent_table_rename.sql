-- 0001_parent_table_rename.sql: written by `eventuall generate webapp parent_table_rename` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).
-- warning: renames table parents to hosts: the previous release's code reads parents and fails until the new code is deployed; without downtime, expand (a new table, code writing both), deploy, then contract

-- recreated below: view parent_children_view changes or reads an altered table
DROP VIEW parent_children_view;
-- index parents_status_idx is no longer declared
DROP INDEX parents_status_idx;
-- renamed with --rename-table parents=hosts
ALTER TABLE parents RENAME TO hosts;
-- new index on hosts
CREATE INDEX hosts_status_idx ON hosts (status);
-- view parent_children_view
CREATE VIEW parent_children_view AS SELECT p.id AS parent_id, p.name AS parent_name, c.id AS child_id, c.note AS note FROM hosts p JOIN children c ON c.parent_id = p.id;
