-- 0003_authorization.sql: written by `eventuall generate webapp authorization` from the C++ schema,
-- diffed against meta/0002_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

-- recreated below: view event_participants_view changes or reads an altered table
DROP VIEW event_participants_view;
-- new table email_verifications
CREATE TABLE email_verifications (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  name TEXT,
  pronouns TEXT,
  location TEXT,
  birthdate TEXT,
  image TEXT,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;
-- index of new table email_verifications
CREATE UNIQUE INDEX email_verifications_token_hash_idx ON email_verifications (token_hash);
-- index of new table email_verifications
CREATE INDEX email_verifications_user_id_idx ON email_verifications (user_id);
-- view event_participants_view
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
  g.created_at AS granted_at,
  g.expires_at AS expires_at
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
  i.created_at AS granted_at,
  i.expires_at AS expires_at
FROM invitations i
JOIN pending_profiles p ON p.id = i.pending_profile_id
JOIN roles r ON r.id = i.role_id
LEFT JOIN rooms rm ON rm.id = i.room_id
WHERE i.status = 'pending';
