-- 0001_rename_with_flag.sql: written by `eventuall generate webapp rename_with_flag` from the C++ schema,
-- diffed against meta/0000_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).
-- warning: renames column children.note to remark: the previous release's code reads note and fails until the new code is deployed; without downtime, expand (add remark, code writing both, backfill), deploy, then contract (drop note)

-- recreated below: view parent_children_view changes or reads an altered table
DROP VIEW parent_children_view;
-- renamed with --rename children.note=remark
ALTER TABLE children RENAME COLUMN note TO remark;
-- view parent_children_view
CREATE VIEW parent_children_view AS SELECT p.id AS parent_id, p.name AS parent_name, c.id AS child_id, c.remark AS note FROM parents p JOIN children c ON c.parent_id = p.id;
