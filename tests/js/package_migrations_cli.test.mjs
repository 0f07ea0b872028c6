// `eventuall-data migrations copy|check` (js-shim/cli): the package's migrations into a
// consumer's migrations_dir with an integrity record; refusals write nothing; collisions with
// the target database are reported before anything runs; the upgrade from one package version
// to the next (two folders of migrations stand for the two versions).
import test, { afterEach, beforeEach, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import initSqlJs from 'sql.js';

import { RECORD_FILE, applyCopy, createdObjects, planCopy, readTargetDatabase, sha256 } from '../../js-shim/cli/migrations.mjs';

// Every migration the package ships, of both databases (each copy writes them all).
const SHIPPED_MIGRATIONS = ['webapp', 'workers']
  .map((db) => readdirSync(new URL(`../../migrations/${db}/`, import.meta.url)).filter((f) => /^\d{4}_.*\.sql$/.test(f)).length)
  .reduce((a, b) => a + b, 0);

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'js-shim/cli/eventuall-data.mjs');
const SQL = await initSqlJs();

const V2_MIGRATION = `-- 0.2.0: a nickname per user
ALTER TABLE users ADD COLUMN nickname TEXT;
CREATE INDEX users_nickname_idx ON users (nickname);
`;

let tmp;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'eventuall-cli-'));
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

/** Package version `version`: this package's migrations, plus `extra` files for webapp. */
async function packageVersionDir(version, extra = {}) {
  const root = path.join(tmp, `pkg-${version}`);
  await cp(path.join(ROOT, 'migrations'), path.join(root, 'migrations'), { recursive: true });
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ name: 'eventuall-data', version }));
  for (const [name, text] of Object.entries(extra)) await writeFile(path.join(root, 'migrations/webapp', name), text);
  return path.join(root, 'migrations');
}

async function snapshot(dir) {
  const out = {};
  for (const name of (await readdir(dir)).sort()) out[name] = await readFile(path.join(dir, name), 'utf8');
  return out;
}

/** A sqlite file holding `sql`, as a local D1 would. */
async function sqliteFile(name, sql) {
  const db = new SQL.Database();
  db.exec(sql);
  const file = path.join(tmp, name);
  await writeFile(file, db.export());
  db.close();
  return file;
}

async function copy(options) {
  const plan = await planCopy(options);
  if (plan.ok) await applyCopy(plan);
  return plan;
}

describe('copy and upgrade', () => {
  test('a first copy writes every file byte for byte and an integrity record', async () => {
    const from = await packageVersionDir('0.1.0');
    const to = path.join(tmp, 'consumer/migrations/eventuall-webapp');
    const plan = await copy({ database: 'webapp', to, from });
    assert.ok(plan.ok);
    const names = (await readdir(path.join(from, 'webapp'))).filter((f) => f.endsWith('.sql')).sort();
    assert.deepEqual(plan.copy.map((f) => f.name), names);
    const record = JSON.parse(await readFile(path.join(to, RECORD_FILE), 'utf8'));
    assert.equal(record.version, '0.1.0');
    assert.equal(record.database, 'webapp');
    for (const name of names) {
      const bytes = await readFile(path.join(to, name));
      assert.deepEqual(bytes, await readFile(path.join(from, 'webapp', name)));
      assert.equal(record.files[name], sha256(bytes));
    }
    // Only the .sql files and the record: wrangler reads *.sql at the top of the folder.
    assert.deepEqual((await readdir(to)).sort(), [...names, RECORD_FILE].sort());
    const again = await planCopy({ database: 'webapp', to, from });
    assert.deepEqual([again.ok, again.copy.length, again.unchanged.length], [true, 0, names.length]);
  });

  test('upgrading 0.1.0 -> 0.2.0 copies the new migration and keeps the consumer\'s own', async () => {
    const v1 = await packageVersionDir('0.1.0');
    const v2 = await packageVersionDir('0.2.0', { '0003_user_nickname.sql': V2_MIGRATION });
    const to = path.join(tmp, 'migrations');
    await copy({ database: 'webapp', to, from: v1 });
    // What `wrangler d1 migrations create DB mine` would add to the same folder.
    await writeFile(path.join(to, '0003_mine.sql'), 'CREATE TABLE mine (id TEXT PRIMARY KEY);\n');
    const plan = await copy({ database: 'webapp', to, from: v2 });
    assert.ok(plan.ok, plan.refused.map((r) => r.reason).join('; '));
    assert.equal(plan.from, '0.1.0');
    assert.deepEqual(plan.copy.map((f) => f.name), ['0003_user_nickname.sql']);
    assert.equal(await readFile(path.join(to, '0003_user_nickname.sql'), 'utf8'), V2_MIGRATION);
    assert.equal(await readFile(path.join(to, '0003_mine.sql'), 'utf8'), 'CREATE TABLE mine (id TEXT PRIMARY KEY);\n');
    const record = JSON.parse(await readFile(path.join(to, RECORD_FILE), 'utf8'));
    assert.equal(record.version, '0.2.0');
    assert.equal(record.files['0003_user_nickname.sql'], sha256(V2_MIGRATION));
    assert.equal(record.files['0003_mine.sql'], undefined);
  });

  test('a file the consumer edited is never overwritten: the upgrade is refused and writes nothing', async () => {
    const v1 = await packageVersionDir('0.1.0');
    const v2 = await packageVersionDir('0.2.0', { '0003_user_nickname.sql': V2_MIGRATION });
    const to = path.join(tmp, 'migrations');
    await copy({ database: 'webapp', to, from: v1 });
    const edited = path.join(to, '0001_rbac_defaults.sql');
    await writeFile(edited, `${await readFile(edited, 'utf8')}-- tweaked by the consumer\n`);
    const before = await snapshot(to);
    const plan = await copy({ database: 'webapp', to, from: v2 });
    assert.equal(plan.ok, false);
    assert.deepEqual(plan.refused.map((r) => r.name), ['0001_rbac_defaults.sql']);
    assert.match(plan.refused[0].reason, /was edited since eventuall-data 0\.1\.0 copied it/);
    assert.deepEqual(await snapshot(to), before, 'nothing written: not even the new migration');
  });

  test('a same-named file eventuall-data never copied is refused', async () => {
    const from = await packageVersionDir('0.1.0');
    const to = path.join(tmp, 'migrations');
    await mkdir(to);
    await writeFile(path.join(to, '0000_initial.sql'), 'CREATE TABLE theirs (id TEXT);\n');
    const before = await snapshot(to);
    const plan = await copy({ database: 'webapp', to, from });
    assert.equal(plan.ok, false);
    assert.match(plan.refused[0].reason, /exists and was not copied by eventuall-data/);
    assert.deepEqual(await snapshot(to), before);
  });

  test('a package that changed a migration it had shipped is refused (applied migrations are never edited)', async () => {
    const v1 = await packageVersionDir('0.1.0');
    const to = path.join(tmp, 'migrations');
    await copy({ database: 'webapp', to, from: v1 });
    const v2 = await packageVersionDir('0.2.0', { '0001_rbac_defaults.sql': '-- rewritten\nSELECT 1;\n' });
    const before = await snapshot(to);
    const plan = await copy({ database: 'webapp', to, from: v2 });
    assert.equal(plan.ok, false);
    assert.match(plan.refused[0].reason, /eventuall-data 0\.2\.0 changed 0001_rbac_defaults\.sql, copied unchanged from 0\.1\.0/);
    assert.deepEqual(await snapshot(to), before);
  });
});

describe('collisions with the target database', () => {
  test('a table the consumer already has is reported before anything runs', async () => {
    const from = await packageVersionDir('0.1.0');
    const db = await sqliteFile('theirs.sqlite', `
      CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
      INSERT INTO d1_migrations (name) VALUES ('0000_their_app.sql');
      CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT);
      CREATE TABLE Sessions (id INTEGER PRIMARY KEY);
      CREATE TABLE invoices (id INTEGER PRIMARY KEY);`);
    const to = path.join(tmp, 'migrations');
    const plan = await copy({ database: 'webapp', to, from, target: await readTargetDatabase(db) });
    assert.equal(plan.ok, false);
    assert.deepEqual(
      plan.collisions.map((c) => `${c.migration} ${c.type} ${c.name}`),
      ['0000_initial.sql table users', '0000_initial.sql table sessions'],
    );
    await assert.rejects(readdir(to), { code: 'ENOENT' }, 'nothing was copied');
  });

  test('tables of migrations already recorded in d1_migrations are ours, not collisions', async () => {
    const v2 = await packageVersionDir('0.2.0', { '0003_user_nickname.sql': V2_MIGRATION });
    const initial = await readFile(path.join(v2, 'webapp/0000_initial.sql'), 'utf8');
    const db = await sqliteFile('ours.sqlite', `${initial}
      CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
      INSERT INTO d1_migrations (name) VALUES ('0000_initial.sql');`);
    const plan = await planCopy({ database: 'webapp', to: path.join(tmp, 'migrations'), from: v2, target: await readTargetDatabase(db) });
    assert.deepEqual(plan.collisions, []);
    // ...but the next one's index would collide with a consumer's index of that name.
    const clash = await sqliteFile('clash.sqlite', `${initial}
      CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
      INSERT INTO d1_migrations (name) VALUES ('0000_initial.sql');
      CREATE INDEX users_nickname_idx ON users (name);`);
    const refused = await planCopy({ database: 'webapp', to: path.join(tmp, 'migrations'), from: v2, target: await readTargetDatabase(clash) });
    assert.deepEqual(refused.collisions.map((c) => `${c.migration} ${c.type} ${c.name}`), ['0003_user_nickname.sql index users_nickname_idx']);
  });

  test('a write-ahead log with a bad header is empty, as SQLite treats it', async () => {
    const db = await sqliteFile('busy.sqlite', 'CREATE TABLE t (x);');
    await writeFile(`${db}-wal`, Buffer.alloc(4096, 1));
    assert.deepEqual((await readTargetDatabase(db)).objects, [{ type: 'table', name: 't' }]);
  });

  test('createdObjects reads quoted names, IF NOT EXISTS and renames', () => {
    assert.deepEqual(
      createdObjects('CREATE TABLE IF NOT EXISTS "a b" (x); -- CREATE TABLE no\nCREATE VIEW [v] AS SELECT 1; ALTER TABLE t RENAME TO `u`; CREATE TRIGGER trg AFTER INSERT ON t BEGIN SELECT 1; END;'),
      [{ type: 'table', name: 'a b' }, { type: 'view', name: 'v' }, { type: 'table', name: 'u' }, { type: 'trigger', name: 'trg' }],
    );
  });
});

describe('the command line', () => {
  const WRANGLER_JSONC = `{
    // a consumer's Worker
    "name": "consumer",
    "d1_databases": [
      { "binding": "DB", "database_name": "app", "database_id": "11111111-0000-4000-8000-000000000001",
        "migrations_dir": "migrations/eventuall-webapp" },
      { "binding": "RECORDINGS", "database_name": "rec", "database_id": "11111111-0000-4000-8000-000000000002",
        "migrations_dir": "migrations/eventuall-workers", }, /* trailing comma, as wrangler allows */
    ],
  }`;
  const cli = (args, cwd) => run(process.execPath, [CLI, ...args], { cwd });

  test('copy --config fills both migrations_dirs; check then has nothing to do', async () => {
    await writeFile(path.join(tmp, 'wrangler.jsonc'), WRANGLER_JSONC);
    const args = ['--config', 'wrangler.jsonc', '--workers', 'RECORDINGS'];
    await assert.rejects(cli(['migrations', 'check', ...args], tmp), (e) => e.code === 1 && /copy +0000_initial\.sql/.test(e.stdout));
    const { stdout } = await cli(['migrations', 'copy', ...args], tmp);
    assert.match(stdout, new RegExp(`copied ${SHIPPED_MIGRATIONS} migration file\\(s\\)`));
    for (const [dir, db] of [['eventuall-webapp', 'webapp'], ['eventuall-workers', 'workers']]) {
      const record = JSON.parse(await readFile(path.join(tmp, 'migrations', dir, RECORD_FILE), 'utf8'));
      assert.equal(record.database, db);
    }
    const check = await cli(['migrations', 'check', ...args], tmp);
    assert.match(check.stdout, /unchanged +0000_initial\.sql/);
  });

  test('a collision in the local D1 state exits 1 and copies nothing', async () => {
    await writeFile(path.join(tmp, 'wrangler.toml'), `name = "consumer"
[[d1_databases]]
binding = "DB"
database_name = "app"
database_id = "11111111-0000-4000-8000-000000000001"
migrations_dir = "migrations/app"
`);
    const { localD1File } = await import('../../js-shim/cli/migrations.mjs');
    const file = localD1File(path.join(tmp, '.wrangler/state'), '11111111-0000-4000-8000-000000000001');
    await mkdir(path.dirname(file), { recursive: true });
    const db = new SQL.Database();
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT);');
    await writeFile(file, db.export());
    await assert.rejects(cli(['migrations', 'copy', '--config', 'wrangler.toml', '--workers', 'none'], tmp), (e) => {
      assert.equal(e.code, 1);
      assert.match(e.stdout, /COLLISION +0000_initial\.sql creates table events, but .* already has a table named so/);
      assert.match(e.stdout, /needs its own D1 database/);
      return true;
    });
    await assert.rejects(readdir(path.join(tmp, 'migrations/app')), { code: 'ENOENT' });
  });

  test('bad usage exits 2 with the usage text', async () => {
    await assert.rejects(cli(['migrations', 'copy', 'webapp'], tmp), (e) => e.code === 2 && /--to <migrations dir> is required/.test(e.stderr) && /usage:/.test(e.stderr));
    await assert.rejects(cli(['migrations', 'copy', 'nope', '--to', 'x'], tmp), (e) => e.code === 2);
  });

  test('version prints the version and the migrations the wasm needs', async () => {
    const { stdout } = await cli(['version'], tmp);
    const out = JSON.parse(stdout);
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(out.version, pkg.version);
    assert.ok(out.requiredMigrations.webapp.includes('0000_initial.sql'));
  });
});

