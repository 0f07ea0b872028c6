-- Local development seed: three accounts, each with one owning user.
-- Fixed CUID2-shaped ids so fixtures and scripts can refer to them.
-- Idempotent: running it twice changes nothing.
INSERT OR IGNORE INTO users (id, name, email, created_at, updated_at) VALUES
  ('seedusereventuall0000001', 'Eventuall Admin', 'admin@eventuall.live', 1767225600, 1767225600),
  ('seedusermomentus00000001', 'Momentus Admin', 'admin@momentus.example', 1767225600, 1767225600),
  ('seedusersgblaise00000001', 'SG Blaise Admin', 'admin@sgblaise.example', 1767225600, 1767225600);

INSERT OR IGNORE INTO accounts (id, name, kind, created_at, updated_at) VALUES
  ('seedaccounteventuall0001', 'Eventuall', 'organization', 1767225600, 1767225600),
  ('seedaccountmomentus00001', 'Momentus', 'organization', 1767225600, 1767225600),
  ('seedaccountsgblaise00001', 'SG Blaise', 'organization', 1767225600, 1767225600);

INSERT OR IGNORE INTO account_ownership (id, account_id, user_id, created_at) VALUES
  ('seedownereventuall000001', 'seedaccounteventuall0001', 'seedusereventuall0000001', 1767225600),
  ('seedownermomentus0000001', 'seedaccountmomentus00001', 'seedusermomentus00000001', 1767225600),
  ('seedownersgblaise0000001', 'seedaccountsgblaise00001', 'seedusersgblaise00000001', 1767225600);
