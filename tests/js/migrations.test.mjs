// Tests for js-shim/node/migrations.mjs: the SQL splitter, and applying wrangler-style
// migrations both through the sql.js adapter and through Miniflare's local D1 (workerd).
import test, { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { createSqlJsD1 } from '../../js-shim/node/d1_sqljs.mjs';
import {
  appliedMigrations,
  applyMigrations,
  applySeed,
  listMigrationFiles,
  splitSqlStatements,
} from '../../js-shim/node/migrations.mjs';

// ---------------------------------------------------------------------------------------------
// Splitter

describe('splitSqlStatements', () => {
  test('splits on ; and drops empty statements', () => {
    assert.deepEqual(splitSqlStatements('SELECT 1;\n\n;;  SELECT 2 ;\nSELECT 3'), ['SELECT 1', 'SELECT 2', 'SELECT 3']);
    assert.deepEqual(splitSqlStatements(''), []);
    assert.deepEqual(splitSqlStatements('  \n;\n'), []);
  });

  test('quotes and bracketed identifiers keep their ;', () => {
    const sql = [
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'SELECT "we;ird" FROM "x""y;"',
      'SELECT `a;b` FROM [c;d]',
      "SELECT '-- not a comment', '/* nor this */'",
    ].join(';\n');
    assert.deepEqual(splitSqlStatements(sql), [
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'SELECT "we;ird" FROM "x""y;"',
      'SELECT `a;b` FROM [c;d]',
      "SELECT '-- not a comment', '/* nor this */'",
    ]);
  });

  test('comments are removed, with their ;', () => {
    const sql = '-- header; still a comment\nCREATE TABLE a (x) /* block; */;\nSELECT 1 -- trailing; note\n;/* only a comment; */';
    assert.deepEqual(splitSqlStatements(sql), ['CREATE TABLE a (x)', 'SELECT 1']);
    assert.deepEqual(splitSqlStatements('-- nothing here;\n/* at all; */'), []);
    // A block comment separates tokens rather than gluing them.
    assert.deepEqual(splitSqlStatements('SELECT/**/1'), ['SELECT 1']);
  });

  test('trigger bodies stay whole, including CASE ... END inside them', () => {
    const trigger = [
      'CREATE TRIGGER IF NOT EXISTS rooms_touch AFTER UPDATE ON rooms',
      'WHEN CASE WHEN new.name IS NULL THEN 0 ELSE 1 END',
      'BEGIN',
      "  UPDATE rooms SET updated_at = CASE WHEN new.updated_at IS NULL THEN 0 ELSE unixepoch() END WHERE id = new.id;",
      "  INSERT INTO log (msg) VALUES ('end; begin;');",
      'END',
    ].join('\n');
    const temp = 'create temp trigger t2 before delete on rooms begin select raise(abort, \'no\'); end';
    const sql = `CREATE TABLE rooms (id, name, updated_at);\n${trigger};\n${temp};\nSELECT 1 AS end_at`;
    assert.deepEqual(splitSqlStatements(sql), ['CREATE TABLE rooms (id, name, updated_at)', trigger, temp, 'SELECT 1 AS end_at']);
  });

  test('BEGIN outside a trigger does not open a block', () => {
    // D1 will refuse these, but the splitter must not swallow what follows.
    assert.deepEqual(splitSqlStatements('BEGIN;\nSELECT 1;\nEND;\nSELECT 2'), ['BEGIN', 'SELECT 1', 'END', 'SELECT 2']);
  });
});

// ---------------------------------------------------------------------------------------------
// Applying migrations, run against both bindings

const WRANGLER_DDL_AS_STORED =
  'CREATE TABLE d1_migrations(\n\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,\n\t\tname       TEXT UNIQUE,\n\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n)';

const M1 = `-- users
CREATE TABLE users (
  id TEXT PRIMARY KEY NOT NULL,
  email TEXT NOT NULL,
  created_at INTEGER NOT NULL -- unix seconds; always set
);
CREATE UNIQUE INDEX users_email_idx ON users (email);
`;
const M2 = `CREATE TABLE events (
  id TEXT PRIMARY KEY NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archive'))
);
CREATE TRIGGER events_no_archive_delete BEFORE DELETE ON events
WHEN old.status = 'active'
BEGIN
  SELECT RAISE(ABORT, 'active events cannot be deleted; archive first');
END;
`;
// Creates a table, then fails: nothing of it may remain.
const BAD = `CREATE TABLE half_done (id TEXT PRIMARY KEY);
INSERT INTO half_done VALUES ('x');
INSERT INTO no_such_table VALUES (1);
`;
const M4 = 'CREATE TABLE after_bad (id TEXT PRIMARY KEY);';
const SEED = `INSERT INTO users VALUES ('u1', 'a@x.io', 1700000000);
INSERT INTO events (id, owner_id) VALUES ('e1', 'u1'); -- draft
`;

async function tempDir(files) {
  const dir = await mkdtemp(join(tmpdir(), 'eventuall-migrations-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

async function tables(db) {
  const { results } = await db
    .prepare("SELECT name AS name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name")
    .all();
  return results.map((r) => r.name);
}

/**
 * The same behaviour checks for any D1-like binding. `open` returns a fresh, empty database.
 * @param {string} label
 * @param {() => Promise<any>} open
 */
function applySuite(label, open) {
  describe(`applyMigrations via ${label}`, () => {
    const dirs = [];
    after(async () => {
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    });
    const dir = async (files) => {
      const d = await tempDir(files);
      dirs.push(d);
      return d;
    };

    test('applies pending files in order, records them, and is idempotent', async () => {
      const db = await open();
      const d = await dir({ '0002_events.sql': M2, '0001_users.sql': M1, 'README.md': 'x', 'notes.sql': 'SELECT 1' });
      await mkdir(join(d, '0003_a_directory.sql'));
      assert.deepEqual(await listMigrationFiles(d), ['0001_users.sql', '0002_events.sql']);

      assert.deepEqual(await applyMigrations(db, d), ['0001_users.sql', '0002_events.sql']);
      assert.deepEqual(await tables(db), ['d1_migrations', 'events', 'users']);
      assert.deepEqual(await appliedMigrations(db), ['0001_users.sql', '0002_events.sql']);
      const row = await db.prepare("SELECT id AS id, applied_at AS applied_at FROM d1_migrations WHERE name = '0001_users.sql'").first();
      assert.equal(row.id, 1);
      assert.match(row.applied_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      // Exactly wrangler's table.
      assert.equal(await db.prepare("SELECT sql AS sql FROM sqlite_master WHERE name = 'd1_migrations'").first('sql'), WRANGLER_DDL_AS_STORED);

      assert.deepEqual(await applyMigrations(db, d), []);
      assert.deepEqual(await appliedMigrations(db), ['0001_users.sql', '0002_events.sql']);

      // The trigger came through whole and works.
      const seed = join(await dir({ 'seed.sql': SEED }), 'seed.sql');
      const seeded = await applySeed(db, seed);
      assert.equal(seeded.length, 2);
      await db.prepare("UPDATE events SET status = 'active' WHERE id = 'e1'").run();
      await assert.rejects(db.prepare("DELETE FROM events WHERE id = 'e1'").run(), /active events cannot be deleted; archive first/);
    });

    test('pending is a set difference, not a high-water mark', async () => {
      const db = await open();
      const d = await dir({ '0002_events.sql': M2.replace('REFERENCES users (id) ON DELETE CASCADE', '') });
      assert.deepEqual(await applyMigrations(db, d), ['0002_events.sql']);
      await writeFile(join(d, '0001_users.sql'), M1); // arrives later with a lower number
      assert.deepEqual(await applyMigrations(db, d), ['0001_users.sql']);
      assert.deepEqual(await appliedMigrations(db), ['0002_events.sql', '0001_users.sql']);
    });

    test('a failing file leaves no partial state and later files do not run', async () => {
      const db = await open();
      const d = await dir({ '0001_users.sql': M1, '0002_bad.sql': BAD, '0003_after.sql': M4 });
      await assert.rejects(applyMigrations(db, d), (err) => {
        assert.match(err.message, /^Migration 0002_bad\.sql failed: .*no such table: no_such_table/);
        assert.ok(err.cause instanceof Error);
        return true;
      });
      assert.deepEqual(await appliedMigrations(db), ['0001_users.sql']);
      assert.deepEqual(await tables(db), ['d1_migrations', 'users']);

      // Fix the file: the next run applies it and the one after it.
      await writeFile(join(d, '0002_bad.sql'), BAD.replace('INSERT INTO no_such_table VALUES (1);', ''));
      assert.deepEqual(await applyMigrations(db, d), ['0002_bad.sql', '0003_after.sql']);
      assert.deepEqual(await tables(db), ['after_bad', 'd1_migrations', 'half_done', 'users']);
    });
  });
}

applySuite('the sql.js adapter', () => createSqlJsD1());

describe('Miniflare local D1', () => {
  /** @type {Miniflare} */
  let mf;
  let n = 0;
  before(async () => {
    mf = new Miniflare({
      modules: true,
      script: 'export default { fetch() { return new Response("ok") } }',
      // One database per test (bindings must be declared up front; spare ones are free).
      d1Databases: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`DB${i + 1}`, `test-db-${i + 1}`])),
    });
    await mf.ready;
  });
  after(async () => {
    await mf?.dispose();
  });
  // Each test of the suite gets its own in-memory database (Miniflare persists nothing by default).
  applySuite('Miniflare', () => mf.getD1Database(`DB${++n}`));
});
