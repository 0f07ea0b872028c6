-- Initial webapp schema. Generated from the C++ schema (wasm/schema/webapp_schema.cpp)
-- by `eventuall ddl webapp`; tests/native/schema_test.cpp keeps the two equal.

CREATE TABLE users (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email TEXT NOT NULL CHECK (email = lower(email) AND instr(email, '@') > 1),
  email_verified_at INTEGER,
  image TEXT,
  pronouns TEXT,
  location TEXT,
  birthdate TEXT CHECK (birthdate IS NULL OR date(birthdate) = birthdate),
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE user_providers (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  provider TEXT NOT NULL CHECK (provider IN ('google', 'github', 'discord', 'apple', 'email', 'livekit')),
  provider_account_id TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_seen_at INTEGER,
  user_agent TEXT,
  ip_address TEXT,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE mcp_login_tokens (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE mcp_api_keys (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  key_prefix TEXT NOT NULL,
  scopes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
  last_used_at INTEGER,
  expires_at INTEGER,
  revoked_at INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE accounts (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind TEXT NOT NULL DEFAULT 'organization' CHECK (kind IN ('personal', 'organization')),
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE account_ownership (
  id TEXT PRIMARY KEY NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE events (
  id TEXT PRIMARY KEY NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description TEXT,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archive')),
  starts_at INTEGER,
  ends_at INTEGER,
  timezone TEXT,
  image TEXT,
  created_by_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
  CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at)
) STRICT;

CREATE TABLE rooms (
  id TEXT PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind TEXT NOT NULL DEFAULT 'session' CHECK (kind IN ('stage', 'session', 'breakout', 'backstage')),
  position INTEGER NOT NULL DEFAULT 0,
  capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE tickets (
  id TEXT PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description TEXT,
  price INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),
  currency TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3 AND currency = upper(currency)),
  capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
  sold_count INTEGER NOT NULL DEFAULT 0 CHECK (sold_count >= 0),
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
  CHECK (capacity IS NULL OR sold_count <= capacity)
) STRICT;

CREATE TABLE ticket_rooms (
  id TEXT PRIMARY KEY NOT NULL,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE permissions (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description TEXT,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE roles (
  id TEXT PRIMARY KEY NOT NULL,
  account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description TEXT,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE role_to_permissions (
  id TEXT PRIMARY KEY NOT NULL,
  role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission_id TEXT NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE roles_inheritances (
  id TEXT PRIMARY KEY NOT NULL,
  role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  parent_role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  CHECK (role_id <> parent_role_id)
) STRICT;

CREATE TABLE orders (
  id TEXT PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  retailer TEXT NOT NULL CHECK (retailer IN ('shopify', 'eventbrite', 'stripe', 'manual')),
  external_order_id TEXT NOT NULL,
  buyer_email TEXT NOT NULL,
  buyer_name TEXT,
  user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'paid' CHECK (status IN ('paid', 'refunded', 'cancelled')),
  total INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
  currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  placed_at INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE order_line_items (
  id TEXT PRIMARY KEY NOT NULL,
  order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  external_product_id TEXT,
  external_variant_id TEXT,
  external_sku TEXT,
  title TEXT,
  quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
  unit_price INTEGER NOT NULL DEFAULT 0 CHECK (unit_price >= 0),
  ticket_id TEXT REFERENCES tickets (id) ON DELETE SET NULL,
  resolution TEXT NOT NULL DEFAULT 'unmapped' CHECK (resolution IN ('mapped', 'unmapped')),
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE external_sku_mappings (
  id TEXT PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  retailer TEXT NOT NULL CHECK (retailer IN ('shopify', 'eventbrite', 'stripe', 'manual')),
  external_id TEXT NOT NULL CHECK (length(external_id) > 0),
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE pending_profiles (
  id TEXT PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  email TEXT NOT NULL CHECK (email = lower(email) AND instr(email, '@') > 1),
  name TEXT,
  invited_by_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  claimed_by_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  claimed_at INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE invitations (
  id TEXT PRIMARY KEY NOT NULL,
  pending_profile_id TEXT NOT NULL REFERENCES pending_profiles (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  room_id TEXT REFERENCES rooms (id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  order_id TEXT REFERENCES orders (id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'revoked')),
  invited_by_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  expires_at INTEGER,
  accepted_at INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE access_grants (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  room_id TEXT REFERENCES rooms (id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  source TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'invitation', 'order')),
  order_id TEXT REFERENCES orders (id) ON DELETE CASCADE,
  granted_by_user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  expires_at INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE room_access_tickets (
  id TEXT PRIMARY KEY NOT NULL,
  order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  order_line_item_id TEXT NOT NULL REFERENCES order_line_items (id) ON DELETE CASCADE,
  ticket_id TEXT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  user_id TEXT REFERENCES users (id) ON DELETE SET NULL,
  pending_profile_id TEXT REFERENCES pending_profiles (id) ON DELETE SET NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  CHECK (user_id IS NOT NULL OR pending_profile_id IS NOT NULL)
) STRICT;

CREATE UNIQUE INDEX users_email_idx ON users (email);
CREATE UNIQUE INDEX user_providers_provider_provider_account_id_idx ON user_providers (provider, provider_account_id);
CREATE INDEX user_providers_user_id_idx ON user_providers (user_id);
CREATE UNIQUE INDEX sessions_token_hash_idx ON sessions (token_hash);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE UNIQUE INDEX mcp_login_tokens_token_hash_idx ON mcp_login_tokens (token_hash);
CREATE INDEX mcp_login_tokens_user_id_idx ON mcp_login_tokens (user_id);
CREATE UNIQUE INDEX mcp_api_keys_key_hash_idx ON mcp_api_keys (key_hash);
CREATE INDEX mcp_api_keys_user_id_idx ON mcp_api_keys (user_id);
CREATE UNIQUE INDEX account_ownership_account_id_user_id_idx ON account_ownership (account_id, user_id);
CREATE INDEX account_ownership_user_id_idx ON account_ownership (user_id);
CREATE INDEX events_account_id_created_at_idx ON events (account_id, created_at);
CREATE INDEX events_status_idx ON events (status);
CREATE INDEX rooms_event_id_position_idx ON rooms (event_id, position);
CREATE INDEX tickets_event_id_price_idx ON tickets (event_id, price);
CREATE UNIQUE INDEX ticket_rooms_ticket_id_room_id_idx ON ticket_rooms (ticket_id, room_id);
CREATE INDEX ticket_rooms_room_id_idx ON ticket_rooms (room_id);
CREATE UNIQUE INDEX permissions_name_idx ON permissions (name);
CREATE UNIQUE INDEX roles_coalesce_account_id_name_idx ON roles (coalesce(account_id, ''), name);
CREATE UNIQUE INDEX role_to_permissions_role_id_permission_id_idx ON role_to_permissions (role_id, permission_id);
CREATE INDEX role_to_permissions_permission_id_idx ON role_to_permissions (permission_id);
CREATE UNIQUE INDEX roles_inheritances_role_id_parent_role_id_idx ON roles_inheritances (role_id, parent_role_id);
CREATE INDEX roles_inheritances_parent_role_id_idx ON roles_inheritances (parent_role_id);
CREATE UNIQUE INDEX orders_retailer_external_order_id_idx ON orders (retailer, external_order_id);
CREATE INDEX orders_event_id_idx ON orders (event_id);
CREATE INDEX orders_buyer_email_idx ON orders (buyer_email);
CREATE INDEX order_line_items_order_id_idx ON order_line_items (order_id);
CREATE UNIQUE INDEX external_sku_mappings_event_id_retailer_external_id_idx ON external_sku_mappings (event_id, retailer, external_id);
CREATE INDEX external_sku_mappings_ticket_id_idx ON external_sku_mappings (ticket_id);
CREATE UNIQUE INDEX pending_profiles_event_id_email_idx ON pending_profiles (event_id, email);
CREATE INDEX pending_profiles_email_idx ON pending_profiles (email);
CREATE INDEX invitations_pending_profile_id_idx ON invitations (pending_profile_id);
CREATE INDEX invitations_event_id_status_idx ON invitations (event_id, status);
CREATE INDEX invitations_order_id_idx ON invitations (order_id);
CREATE UNIQUE INDEX access_grants_user_id_event_id_coalesce_room_id_role_id_coalesce_order_id_idx ON access_grants (user_id, event_id, coalesce(room_id, ''), role_id, coalesce(order_id, ''));
CREATE INDEX access_grants_event_id_user_id_idx ON access_grants (event_id, user_id);
CREATE INDEX access_grants_role_id_idx ON access_grants (role_id);
CREATE INDEX access_grants_order_id_idx ON access_grants (order_id);
CREATE UNIQUE INDEX room_access_tickets_order_line_item_id_room_id_idx ON room_access_tickets (order_line_item_id, room_id);
CREATE INDEX room_access_tickets_order_id_idx ON room_access_tickets (order_id);
CREATE INDEX room_access_tickets_room_id_status_idx ON room_access_tickets (room_id, status);

CREATE VIEW event_participants_view AS SELECT
  'user' AS participant_kind,
  g.user_id AS participant_id,
  g.user_id AS user_id,
  NULL AS pending_profile_id,
  u.name AS name,
  u.email AS email,
  g.event_id AS event_id,
  g.room_id AS room_id,
  rm.name AS room_name,
  g.role_id AS role_id,
  r.name AS role_name,
  g.source AS source,
  g.created_at AS granted_at
FROM access_grants g
JOIN users u ON u.id = g.user_id
JOIN roles r ON r.id = g.role_id
LEFT JOIN rooms rm ON rm.id = g.room_id
UNION ALL
SELECT
  'pending' AS participant_kind,
  p.id AS participant_id,
  NULL AS user_id,
  p.id AS pending_profile_id,
  p.name AS name,
  p.email AS email,
  i.event_id AS event_id,
  i.room_id AS room_id,
  rm.name AS room_name,
  i.role_id AS role_id,
  r.name AS role_name,
  'invitation' AS source,
  i.created_at AS granted_at
FROM invitations i
JOIN pending_profiles p ON p.id = i.pending_profile_id
JOIN roles r ON r.id = i.role_id
LEFT JOIN rooms rm ON rm.id = i.room_id
WHERE i.status = 'pending';
