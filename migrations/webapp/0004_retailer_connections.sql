-- 0004_retailer_connections.sql: written by `eventuall generate webapp retailer_connections` from the C++ schema,
-- diffed against meta/0003_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

-- index orders_retailer_external_order_id_idx is no longer declared
DROP INDEX orders_retailer_external_order_id_idx;
-- new table retailer_connections
CREATE TABLE retailer_connections (
  id TEXT PRIMARY KEY NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  retailer TEXT NOT NULL CHECK (retailer IN ('shopify', 'eventbrite', 'stripe')),
  external_account_id TEXT NOT NULL CHECK (length(external_account_id) BETWEEN 1 AND 200),
  name TEXT,
  secret_ciphertext TEXT NOT NULL,
  previous_secret_ciphertext TEXT,
  previous_secret_expires_at INTEGER,
  created_by_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
-- index of new table retailer_connections
CREATE UNIQUE INDEX retailer_connections_account_id_retailer_external_account_id_idx ON retailer_connections (account_id, retailer, external_account_id);
-- new table retailer_deliveries
CREATE TABLE retailer_deliveries (
  id TEXT PRIMARY KEY NOT NULL,
  retailer TEXT NOT NULL CHECK (retailer IN ('shopify', 'eventbrite', 'stripe')),
  scope_id TEXT NOT NULL,
  delivery_id TEXT NOT NULL CHECK (length(delivery_id) BETWEEN 1 AND 200),
  action TEXT NOT NULL CHECK (action IN ('order', 'cancel', 'refund', 'ignored')),
  external_order_id TEXT,
  order_id TEXT REFERENCES orders (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
-- index of new table retailer_deliveries
CREATE UNIQUE INDEX retailer_deliveries_retailer_scope_id_delivery_id_idx ON retailer_deliveries (retailer, scope_id, delivery_id);
-- index of new table retailer_deliveries
CREATE INDEX retailer_deliveries_order_id_idx ON retailer_deliveries (order_id);
-- new column orders.connection_id
ALTER TABLE orders ADD COLUMN connection_id TEXT REFERENCES retailer_connections (id) ON DELETE SET NULL;
-- new column orders.scope_id
ALTER TABLE orders ADD COLUMN scope_id TEXT NOT NULL DEFAULT '';
-- BACKFILL (hand-written, keep on regenerate): existing orders predate store connections,
-- so their scope is the event's account (the tenant), and for manual orders the event.
-- Orders were unique per (retailer, external_order_id), so the new unique index holds.
UPDATE orders SET scope_id = CASE WHEN retailer = 'manual' THEN event_id ELSE (SELECT e.account_id FROM events e WHERE e.id = orders.event_id) END WHERE scope_id = '';
-- new column orders.external_payment_id
ALTER TABLE orders ADD COLUMN external_payment_id TEXT;
-- new index on orders
CREATE UNIQUE INDEX orders_retailer_scope_id_external_order_id_idx ON orders (retailer, scope_id, external_order_id);
-- new index on orders
CREATE INDEX orders_connection_id_idx ON orders (connection_id);
-- new index on orders
CREATE INDEX orders_external_payment_id_idx ON orders (external_payment_id);
-- new column order_line_items.holder_email
ALTER TABLE order_line_items ADD COLUMN holder_email TEXT CHECK (holder_email IS NULL OR (holder_email = lower(holder_email) AND instr(holder_email, '@') > 1));
-- new column order_line_items.holder_name
ALTER TABLE order_line_items ADD COLUMN holder_name TEXT;
-- new column external_sku_mappings.sales_starts_at
ALTER TABLE external_sku_mappings ADD COLUMN sales_starts_at INTEGER;
-- new column external_sku_mappings.sales_ends_at
ALTER TABLE external_sku_mappings ADD COLUMN sales_ends_at INTEGER;
