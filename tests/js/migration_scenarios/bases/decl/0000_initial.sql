-- initial
CREATE TABLE parents (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active')),
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE children (
  id TEXT PRIMARY KEY NOT NULL,
  parent_id TEXT NOT NULL REFERENCES parents (id) ON DELETE CASCADE,
  note TEXT
) STRICT;

CREATE TABLE logs (
  id TEXT PRIMARY KEY NOT NULL,
  message TEXT NOT NULL,
  level TEXT NOT NULL DEFAULT 'info',
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE INDEX parents_status_idx ON parents (status);
CREATE INDEX children_parent_id_idx ON children (parent_id);

CREATE VIEW parent_children_view AS SELECT p.id AS parent_id, p.name AS parent_name, c.id AS child_id, c.note AS note FROM parents p JOIN children c ON c.parent_id = p.id;
