// Tests for the sql.js D1 adapter (js-shim/node/d1_sqljs.mjs). Expected values are what
// Miniflare's local D1 returns for the same calls.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeSqlJsD1, createSqlJsD1 } from '../../js-shim/node/d1_sqljs.mjs';

const USERS = 'CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, age INTEGER, avatar BLOB)';

async function withUsers() {
  const db = await createSqlJsD1();
  await db.prepare(USERS).run();
  return db;
}

test('all/run/raw/first result shapes', async () => {
  const db = await withUsers();
  const ins = await db.prepare('INSERT INTO users (id, email, age) VALUES (?, ?, ?)').bind('u1', 'a@x.io', 30).run();
  assert.equal(ins.success, true);
  assert.deepEqual(ins.results, []);
  for (const k of ['changes', 'last_row_id', 'duration', 'rows_read', 'rows_written', 'changed_db', 'size_after']) {
    assert.ok(k in ins.meta, `meta.${k}`);
    assert.ok(k in JSON.parse(JSON.stringify(ins.meta)), `meta.${k} in JSON`);
  }
  assert.equal(typeof ins.meta.size_after, 'number');
  assert.equal(ins.meta.changes, 1);
  assert.equal(ins.meta.last_row_id, 1);
  assert.equal(ins.meta.changed_db, true);
  await db.prepare('INSERT INTO users (id, email, age) VALUES (?, ?, ?)').bind('u2', 'b@x.io', null).run();

  const all = await db.prepare('SELECT id AS id, email AS email, age AS age FROM users ORDER BY id').all();
  assert.equal(all.success, true);
  assert.deepEqual(all.results, [
    { id: 'u1', email: 'a@x.io', age: 30 },
    { id: 'u2', email: 'b@x.io', age: null },
  ]);
  assert.equal(all.meta.changes, 0);
  assert.equal(all.meta.changed_db, false);

  const q = db.prepare('SELECT id AS id, age AS age FROM users ORDER BY id');
  assert.deepEqual(await q.raw(), [['u1', 30], ['u2', null]]);
  assert.deepEqual(await q.raw({ columnNames: true }), [['id', 'age'], ['u1', 30], ['u2', null]]);
  assert.deepEqual(await db.prepare('SELECT 1 AS x WHERE 0').raw({ columnNames: true }), [['x']]);

  assert.deepEqual(await q.first(), { id: 'u1', age: 30 });
  assert.equal(await q.first('id'), 'u1');
  assert.equal(await db.prepare('SELECT id AS id FROM users WHERE 0').first(), null);
  assert.equal(await db.prepare('SELECT id AS id FROM users WHERE 0').first('id'), null);
  await assert.rejects(q.first('nope'), /^Error: D1_COLUMN_NOTFOUND: Column not found \(nope\)$/);

  // run() on a SELECT returns its rows too (as Miniflare does).
  assert.deepEqual((await db.prepare('SELECT 7 AS n').run()).results, [{ n: 7 }]);
  // Duplicate column names collapse, last wins (alias every column!).
  assert.deepEqual((await db.prepare('SELECT 1 AS a, 2 AS a').all()).results, [{ a: 2 }]);
  assert.deepEqual(await db.prepare('SELECT 1 AS a, 2 AS a').raw(), [[1, 2]]);
  db.close();
});

test('bind returns a new statement and checks the parameter count', async () => {
  const db = await createSqlJsD1();
  const base = db.prepare('SELECT ? AS v');
  const bound = base.bind(5);
  assert.notEqual(base, bound);
  assert.equal(await bound.first('v'), 5);
  await assert.rejects(base.all(), /D1_ERROR: Wrong number of parameter bindings for SQL query\./);
  await assert.rejects(db.prepare('SELECT ? AS v').bind(1, 2).all(), /Wrong number of parameter bindings/);
  // ?NNN and named parameters are positional, as on D1.
  assert.deepEqual((await db.prepare('SELECT ?2 AS a, ?1 AS b, :n AS c').bind('x', 'y', 'z').all()).results, [
    { a: 'y', b: 'x', c: 'z' },
  ]);
  db.close();
});

test('value types: accepted, converted, rejected like D1', async () => {
  const db = await createSqlJsD1();
  const row = await db
    .prepare('SELECT ? AS t, ? AS f, ? AS n, ? AS nan, ? AS s, ? AS r')
    .bind(true, false, null, NaN, 'é', 1.5)
    .first();
  assert.deepEqual(row, { t: 1, f: 0, n: null, nan: null, s: 'é', r: 1.5 });

  // D1 binds every JS number as REAL.
  assert.deepEqual(
    await db.prepare("SELECT typeof(?) AS t, ? / 2 AS half, ? || '' AS txt").bind(3, 3, 3).first(),
    { t: 'real', half: 1.5, txt: '3.0' },
  );

  for (const [value, type] of [
    [undefined, 'undefined'],
    [1n, 'bigint'],
    [new Date(0), 'object'],
    [{ a: 1 }, 'object'],
    [[1, 300], 'object'],
    [() => 1, 'function'],
    [Symbol('s'), 'symbol'],
  ]) {
    assert.throws(
      () => db.prepare('SELECT ? AS v').bind(value),
      // D1 throws a plain Error, this adapter a TypeError: both are Errors.
      (e) => e instanceof Error && e.message.startsWith(`D1_TYPE_ERROR: Type '${type}' not supported for value '`),
    );
  }
  db.close();
});

test('blobs round trip as arrays of numbers', async () => {
  const db = await withUsers();
  const bytes = [0, 1, 127, 128, 255];
  const ins = db.prepare('INSERT INTO users (id, email, avatar) VALUES (?, ?, ?)');
  await ins.bind('a', 'a@x', new Uint8Array(bytes)).run();
  await ins.bind('b', 'b@x', new Uint8Array(bytes).buffer).run();
  await ins.bind('c', 'c@x', bytes).run();
  await ins.bind('d', 'd@x', new Uint8Array([9, ...bytes, 9]).subarray(1, 6)).run();
  await ins.bind('e', 'e@x', new ArrayBuffer(0)).run();
  const { results } = await db.prepare('SELECT id AS id, avatar AS avatar, typeof(avatar) AS t FROM users ORDER BY id').all();
  assert.deepEqual(results.slice(0, 4).map((r) => r.avatar), [bytes, bytes, bytes, bytes]);
  assert.ok(results.every((r) => r.t === 'blob'));
  assert.deepEqual(results[4].avatar, []);
  assert.deepEqual(await db.prepare("SELECT x'00ff' AS b").first('b'), [0, 255]);
  db.close();
});

test('errors read like D1', async () => {
  const db = await withUsers();
  await db.prepare("INSERT INTO users (id, email) VALUES ('u1', 'a@x')").run();
  await assert.rejects(
    db.prepare("INSERT INTO users (id, email) VALUES ('u2', 'a@x')").run(),
    (e) =>
      e.message === 'D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)' &&
      e.cause.message === 'UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_UNIQUE)',
  );
  await assert.rejects(
    db.prepare("INSERT INTO users (id, email) VALUES ('u1', 'b@x')").run(),
    { message: 'D1_ERROR: UNIQUE constraint failed: users.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)' },
  );
  await assert.rejects(
    db.prepare("INSERT INTO users (id) VALUES ('u3')").run(),
    { message: 'D1_ERROR: NOT NULL constraint failed: users.email: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_NOTNULL)' },
  );
  await assert.rejects(db.prepare('SELECT * FROM nope').all(), { message: 'D1_ERROR: no such table: nope: SQLITE_ERROR' });
  await assert.rejects(db.prepare('SELEC 1').all(), /^Error: D1_ERROR: near "SELEC": syntax error/);
  db.close();
});

test('batch is atomic: a failing last statement leaves the db unchanged', async () => {
  const db = await withUsers();
  await db.prepare("INSERT INTO users (id, email) VALUES ('u0', 'dup@x')").run();
  const ins = db.prepare('INSERT INTO users (id, email) VALUES (?, ?)');
  await assert.rejects(
    db.batch([ins.bind('u1', 'a@x'), ins.bind('u2', 'b@x'), db.prepare("UPDATE users SET age = 1"), ins.bind('u3', 'dup@x')]),
    /^Error: D1_ERROR: UNIQUE constraint failed: users\.email: SQLITE_CONSTRAINT/,
  );
  assert.deepEqual((await db.prepare('SELECT id AS id, age AS age FROM users').all()).results, [{ id: 'u0', age: null }]);

  const ok = await db.batch([ins.bind('u1', 'a@x'), db.prepare('SELECT count(*) AS n FROM users')]);
  assert.equal(ok.length, 2);
  assert.equal(ok[0].meta.changes, 1);
  assert.deepEqual(ok[1].results, [{ n: 2 }]);
  db.close();
});

test('batch([]) throws like D1', async () => {
  const db = await createSqlJsD1();
  await assert.rejects(db.batch([]), { message: 'D1_ERROR: No SQL statements detected.' });
  db.close();
});

test('RETURNING works in batch', async () => {
  const db = await withUsers();
  const res = await db.batch([
    db.prepare('INSERT INTO users (id, email, age) VALUES (?, ?, ?) RETURNING id AS id, age AS age').bind('u1', 'a@x', 20),
    db.prepare('UPDATE users SET age = age + 1 WHERE id = ? RETURNING age AS age').bind('u1'),
    db.prepare('DELETE FROM users WHERE id = ? RETURNING email AS email').bind('u1'),
  ]);
  assert.deepEqual(res.map((r) => r.results), [[{ id: 'u1', age: 20 }], [{ age: 21 }], [{ email: 'a@x' }]]);
  assert.deepEqual(res.map((r) => r.meta.changes), [1, 1, 1]);
  db.close();
});

test('counters in a batch: a read reports no change and the last insert rowid, first run or kept prepared', async () => {
  const db = await withUsers();
  const insert = 'INSERT INTO users (id, email) VALUES (?, ?)';
  const read = 'SELECT count(*) AS n FROM users';
  for (const round of [1, 2]) {
    // Round 1 runs both texts for the first time; round 2 from the statement cache.
    const res = await db.batch([
      db.prepare(insert).bind(`a${round}`, `a${round}@x`),
      db.prepare(read),
      db.prepare(insert).bind(`b${round}`, `b${round}@x`),
      db.prepare(read),
    ]);
    assert.deepEqual(res.map((r) => r.meta.changes), [1, 0, 1, 0], `round ${round}`);
    const base = 2 * (round - 1);
    assert.deepEqual(res.map((r) => r.meta.last_row_id), [base + 1, base + 1, base + 2, base + 2], `round ${round}`);
    assert.deepEqual(res.map((r) => r.meta.changed_db), [true, false, true, false], `round ${round}`);
    assert.deepEqual([res[1].results, res[3].results], [[{ n: base + 1 }], [{ n: base + 2 }]]);
  }
  db.close();
});

test('D1 limits: 100 parameters and 100,000 bytes per statement', async () => {
  const db = await createSqlJsD1();
  const select = (n) => `SELECT ${Array.from({ length: n }, (_, i) => `? AS c${i}`).join(', ')}`;
  const ok = await db.prepare(select(100)).bind(...Array(100).fill(1)).first();
  assert.equal(Object.keys(ok).length, 100);
  await assert.rejects(db.prepare(select(101)).bind(...Array(101).fill(1)).all(), /^Error: D1_ERROR: too many SQL variables at offset \d+: SQLITE_ERROR$/);
  await assert.rejects(db.prepare('SELECT ?101 AS v').all(), /D1_ERROR: variable number must be between \?1 and \?100/);
  // A '?' inside a string or comment is not a parameter.
  assert.equal(await db.prepare("SELECT '?' AS q -- ?\n").first('q'), '?');

  const sized = (bytes) => `SELECT '${'x'.repeat(bytes - 14)}' AS v`; // 14 bytes of SQL around the x's
  assert.equal(sized(100_000).length, 100_000);
  assert.equal((await db.prepare(sized(100_000)).all()).success, true);
  await assert.rejects(db.prepare(sized(100_001)).all(), { message: 'D1_ERROR: statement too long: SQLITE_TOOBIG' });
  db.close();
});

test('foreign keys are enforced and cannot be switched off', async () => {
  const db = await createSqlJsD1();
  await db.batch([
    db.prepare('CREATE TABLE events (id TEXT PRIMARY KEY)'),
    db.prepare('CREATE TABLE rooms (id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE)'),
  ]);
  assert.equal(await db.prepare('PRAGMA foreign_keys').first('foreign_keys'), 1);
  await assert.rejects(
    db.prepare("INSERT INTO rooms VALUES ('r1', 'missing')").run(),
    { message: 'D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_FOREIGNKEY)' },
  );
  await db.prepare('PRAGMA foreign_keys = OFF').run(); // a silent no-op, as on D1
  assert.equal(await db.prepare('PRAGMA foreign_keys').first('foreign_keys'), 1);
  await db.batch([db.prepare("INSERT INTO events VALUES ('e1')"), db.prepare("INSERT INTO rooms VALUES ('r1', 'e1')")]);
  await db.prepare("DELETE FROM events WHERE id = 'e1'").run();
  assert.equal(await db.prepare('SELECT count(*) AS n FROM rooms').first('n'), 0);
  db.close();
});

test('what D1 refuses is refused', async () => {
  const db = await createSqlJsD1();
  for (const sql of ['BEGIN', 'BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK', 'SAVEPOINT a', 'RELEASE a']) {
    await assert.rejects(db.prepare(sql).run(), /D1_ERROR: To execute a transaction, please use the state\.storage\.transaction\(\)/, sql);
  }
  await assert.rejects(db.prepare('PRAGMA journal_mode').all(), { message: 'D1_ERROR: not authorized: SQLITE_AUTH' });
  await assert.rejects(db.prepare('PRAGMA user_version = 3').run(), { message: 'D1_ERROR: not authorized: SQLITE_AUTH' });
  await assert.rejects(db.prepare('SELECT sqlite_version() AS v').all(), /not authorized to use function: sqlite_version/);
  assert.ok(Array.isArray((await db.prepare('PRAGMA table_list').all()).results));
  // "SELECT 1; -- comment" is refused by workerd: the tail holds no statement.
  await assert.rejects(db.prepare('SELECT 1 AS x; -- trailing').all(), { message: 'D1_ERROR: SQL code did not contain a statement.' });
  await assert.rejects(db.prepare('').all(), { message: 'D1_ERROR: No SQL statements detected.' });
  db.close();
});

test('several statements in one prepare: only the last may have parameters', async () => {
  const db = await createSqlJsD1();
  const r = await db.prepare('CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1); SELECT a + ? AS b FROM t').bind(1).all();
  assert.deepEqual(r.results, [{ b: 2 }]);
  await assert.rejects(
    db.prepare('SELECT ? AS a; SELECT 2 AS b').bind(1).all(),
    /only the last statement can have parameters/,
  );
  db.close();
});

test('exec runs each line, atomically, and reports count', async () => {
  const db = await createSqlJsD1();
  const r = await db.exec('CREATE TABLE t (a INTEGER);\nINSERT INTO t VALUES (1);\n\nINSERT INTO t VALUES (2)');
  assert.equal(r.count, 3);
  assert.equal(typeof r.duration, 'number');
  // (This adapter names the failing line; Miniflare always says line 1.)
  await assert.rejects(
    db.exec('INSERT INTO t VALUES (3);\nINSERT INTO nope VALUES (4)'),
    /^Error: D1_EXEC_ERROR: Error in line \d: .*no such table: nope: SQLITE_ERROR$/,
  );
  assert.equal(await db.prepare('SELECT count(*) AS n FROM t').first('n'), 2);
  // A statement spanning lines fails on D1's exec() too.
  await assert.rejects(db.exec('CREATE TABLE u (\n a INTEGER\n)'), /D1_EXEC_ERROR: Error in line 1: CREATE TABLE u \(: incomplete input/);
  db.close();
});

test('withSession: bookmarks', async () => {
  const db = await createSqlJsD1();
  for (const arg of [undefined, '', 'first-primary', 'first-unconstrained']) {
    assert.equal(db.withSession(arg).getBookmark(), null);
  }
  const s = db.withSession('first-primary');
  await s.prepare('CREATE TABLE t (a)').run();
  const b1 = s.getBookmark();
  assert.equal(typeof b1, 'string');
  await s.batch([s.prepare('INSERT INTO t VALUES (?)').bind(1)]);
  const b2 = s.getBookmark();
  assert.ok(b1.localeCompare(b2) < 0, `${b1} < ${b2}`);
  assert.equal(await s.prepare('SELECT count(*) AS n FROM t').first('n'), 1);
  assert.ok(s.getBookmark().localeCompare(b2) >= 0); // never goes backwards

  // A session resumed from a bookmark reports it until it sees a newer one.
  const resumed = db.withSession(b1);
  assert.equal(resumed.getBookmark(), b1);
  await resumed.prepare('SELECT 1 AS x').all();
  assert.ok(resumed.getBookmark().localeCompare(b2) >= 0);
  db.close();
});

test('filename: load, save, close', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'd1-sqljs-'));
  try {
    const filename = join(dir, 'local.sqlite');
    const a = await createSqlJsD1({ filename });
    await a.exec('CREATE TABLE t (a TEXT);');
    await a.prepare('INSERT INTO t VALUES (?)').bind('kept').run();
    await closeSqlJsD1(a, { save: true });

    const b = await createSqlJsD1({ filename });
    assert.equal(await b.prepare('SELECT a AS a FROM t').first('a'), 'kept');
    await b.prepare('INSERT INTO t VALUES (?)').bind('not saved').run();
    await closeSqlJsD1(b);

    const c = await createSqlJsD1({ filename });
    assert.equal(await c.prepare('SELECT count(*) AS n FROM t').first('n'), 1);
    assert.equal(await c.prepare('PRAGMA foreign_keys').first('foreign_keys'), 1);
    assert.ok((await c.dump()) instanceof ArrayBuffer);
    c.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// The guards (wasm/runtime/schema_guard.h, wasm/ops/credentials.cpp) fail a batch
// with a CASE whose ELSE errors. The erroring argument reads a column, so SQLite
// can never hoist it out as a constant and evaluate it when the CASE does not
// reach it (here, as in workerd and libsqlite3 3.40, even a constant one is not).
test('a guard statement fails its batch only when its condition fails, and the batch rolls back', async () => {
  const db = await createSqlJsD1();
  await db.exec('CREATE TABLE t (x INTEGER); CREATE TABLE m (name TEXT);');
  await db.prepare("INSERT INTO m VALUES ('a')").run();
  const guard = (n) =>
    db.prepare(
      "SELECT CASE WHEN g.n = ? THEN 1 ELSE json_extract('{}', 'guard failed: ' || g.n) END AS ok FROM (SELECT count(*) AS n FROM m) g",
    ).bind(n);
  const passed = await db.batch([guard(1), db.prepare('INSERT INTO t VALUES (1)')]);
  assert.deepEqual(passed[0].results, [{ ok: 1 }]);
  await assert.rejects(db.batch([guard(2), db.prepare('INSERT INTO t VALUES (2)')]), /guard failed: 1/);
  await assert.rejects(db.batch([db.prepare('INSERT INTO t VALUES (3)'), guard(2)]), /guard failed: 1/);
  assert.deepEqual((await db.prepare('SELECT x AS x FROM t').all()).results, [{ x: 1 }]);
  db.close();
});

test('schema guard over sql.js: behind and ahead answer schema_mismatch naming the migrations; nothing written', async () => {
  const { sqlJsTarget } = await import('./support.mjs');
  const target = await sqlJsTarget();
  const count = async () => (await target.webapp.prepare('SELECT count(*) AS n FROM events').first('n'));
  await target.webapp.prepare("DELETE FROM d1_migrations WHERE name = '0004_retailer_connections.sql'").run();
  const input = { actorUserId: 'seedusereventuall0000001', accountId: 'seedaccounteventuall0001', name: 'Behind', rooms: [{ name: 'Main' }] };
  const behind = await target.outcome('create_event', input);
  assert.equal(behind.ok, false);
  assert.equal(behind.error.code, 'schema_mismatch');
  assert.match(behind.error.message, /missing 0004_retailer_connections\.sql/);
  await target.webapp.prepare("INSERT INTO d1_migrations (name) VALUES ('0004_retailer_connections.sql'), ('0005_later.sql')").run();
  const ahead = await target.outcome('create_event', input);
  assert.equal(ahead.error?.code, 'schema_mismatch');
  assert.match(ahead.error.message, /unknown 0005_later\.sql/);
  assert.equal(await count(), 0);
  await target.webapp.prepare("DELETE FROM d1_migrations WHERE name = '0005_later.sql'").run();
  assert.equal((await target.outcome('create_event', input)).ok, true);
  assert.equal(await count(), 1);
});
