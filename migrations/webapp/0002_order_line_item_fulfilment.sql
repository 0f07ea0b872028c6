-- 0002_order_line_item_fulfilment.sql: written by `eventuall generate webapp order_line_item_fulfilment` from the C++ schema,
-- diffed against meta/0001_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

-- new column order_line_items.fulfilment
ALTER TABLE order_line_items ADD COLUMN fulfilment TEXT NOT NULL DEFAULT 'none' CHECK (fulfilment IN ('issued', 'sold_out', 'none'));
