-- 0003_email_verification.sql: written by `eventuall generate webapp email_verification` from the C++ schema,
-- diffed against meta/0002_snapshot.json. Runs as one unit (a D1 batch / one SQLite transaction): no
-- BEGIN/COMMIT, and no PRAGMA foreign_keys (D1 always enforces them).

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
