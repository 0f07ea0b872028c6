// wrangler's migrations bookkeeping, shared by every runner that records migrations the way
// `wrangler d1 migrations apply` does (js-shim/node/migrations.mjs on D1 bindings,
// js-shim/durable/define.mjs inside a Durable Object). No imports: loads in a Worker too.

// Copied character for character from wrangler's initMigrationsTable (tabs included), so the
// schema text in sqlite_master matches a database wrangler migrated.
export const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,
\t\tname       TEXT UNIQUE,
\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;
export const INSERT_MIGRATION = 'INSERT INTO d1_migrations (name) VALUES (?)';
