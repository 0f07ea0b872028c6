// A D1-compatible binding over sql.js, for node scripts and quick tests without workerd.
//
// It mirrors what Cloudflare's D1 binding (workerd's d1-api + Miniflare's local D1) does,
// including the things D1 rejects, so code that passes here is likely to pass on D1:
//   - every call is atomic: one statement (all/raw/first/run) or a whole batch runs in one
//     transaction, and a failure rolls all of it back;
//   - BEGIN/COMMIT/SAVEPOINT/..., ATTACH and most PRAGMAs are refused, as are sqlite_version()
//     and friends; foreign keys are always on (PRAGMA foreign_keys=OFF is a no-op because it
//     always runs inside a transaction, which is exactly D1's behaviour);
//   - at most 100 bound parameters per statement and 100,000 bytes of SQL per statement;
//   - bind() accepts only null, number, string, boolean (as 1/0), ArrayBuffer/views and byte
//     arrays (blobs); blobs come back as arrays of numbers; NaN/Infinity become null (D1 sends
//     values as JSON);
//   - one prepare() may hold several statements; only the last may have parameters and only
//     its rows are returned;
//   - errors read like D1's: `D1_ERROR: <sqlite message>: SQLITE_CONSTRAINT (extended: ...)`.
//   - every JS number is bound as REAL, as D1 does: 3 stored in a TEXT column reads back '3.0',
//     `? / 2` with 3 is 1.5 (INTEGER/REAL columns still store 3 as integer 3 by affinity).
// Known differences: rows_read/rows_written are approximations (rows returned / rows changed);
// syntax errors lack D1's " at offset N"; RAISE() in a trigger reports SQLITE_ERROR rather
// than SQLITE_CONSTRAINT_TRIGGER; no _cf_METADATA table; sql.js has no FTS5.
//
// sql.js is synchronous, so each call runs start to finish without yielding: concurrent
// callers can never interleave inside one another's transaction.

import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import initSqlJs from 'sql.js';

const MAX_PARAMS = 100;
const MAX_SQL_BYTES = 100_000;
const STATEMENT_CACHE_SIZE = 256;
const CACHEABLE = /^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|WITH|VALUES)\b/i;
// A single statement that starts so cannot change a row or the last insert rowid.
const READ_ONLY = /^\s*(SELECT|VALUES)\b/i;

/** @type {Promise<any> | undefined} */
let sqlJsPromise;
/** Load the sql.js wasm once per process. */
function loadSqlJs() {
  sqlJsPromise ??= initSqlJs();
  return sqlJsPromise;
}

// ---------------------------------------------------------------------------------------------
// Errors

/** An Error shaped like D1's: prefixed message, plain message in `cause`. */
function d1Error(prefix, message) {
  return new Error(`${prefix}: ${message}`, { cause: new Error(message) });
}

const TRANSACTION_MESSAGE =
  'To execute a transaction, please use the state.storage.transaction() or ' +
  'state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT ' +
  "statements. The JavaScript API is safer because it will automatically roll back on " +
  "exceptions, and because it interacts correctly with Durable Objects' automatic atomic " +
  'write coalescing.';

/** Marks errors we built ourselves so toD1Error passes them through untouched. */
const OURS = Symbol('d1-sqljs-error');
const FAILED_AT = Symbol('d1-sqljs-failed-at');
function fail(message) {
  const e = d1Error('D1_ERROR', message);
  e[OURS] = true;
  return e;
}

const CONSTRAINT_KINDS = {
  UNIQUE: 'SQLITE_CONSTRAINT_UNIQUE',
  'NOT NULL': 'SQLITE_CONSTRAINT_NOTNULL',
  CHECK: 'SQLITE_CONSTRAINT_CHECK',
  'FOREIGN KEY': 'SQLITE_CONSTRAINT_FOREIGNKEY',
};

/**
 * sql.js only gives us sqlite3_errmsg() text, so the result code D1 appends is recovered from
 * the message. A UNIQUE failure on exactly the primary-key columns is reported as
 * SQLITE_CONSTRAINT_PRIMARYKEY, as SQLite (and so D1) does.
 */
function toD1Error(err, db) {
  if (err && err[OURS]) return err;
  const msg = err instanceof Error ? err.message : String(err);
  let code = 'SQLITE_ERROR';
  const m = /^(UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?:: (.*))?$/.exec(msg);
  if (m) {
    let ext = CONSTRAINT_KINDS[m[1]];
    if (m[1] === 'UNIQUE' && m[2] && isPrimaryKey(db, m[2])) ext = 'SQLITE_CONSTRAINT_PRIMARYKEY';
    code = `SQLITE_CONSTRAINT (extended: ${ext})`;
  } else if (/too big|too long/i.test(msg)) {
    code = 'SQLITE_TOOBIG';
  }
  return fail(`${msg}: ${code}`);
}

/** "t.a, t.b" names exactly the primary key of t? */
function isPrimaryKey(db, cols) {
  try {
    const names = cols.split(', ').map((c) => c.split('.'));
    const table = names[0][0];
    const res = db.exec('SELECT name FROM pragma_table_info(?) WHERE pk > 0', [table]);
    const pk = (res[0]?.values ?? []).map((r) => r[0]).sort();
    const got = names.map((n) => n[1]).sort();
    return pk.length > 0 && pk.join('\0') === got.join('\0');
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// A tiny SQL tokenizer: enough to count parameters and find a statement's leading keywords
// while skipping strings, quoted identifiers and comments.

const isIdentChar = (c) => c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

/** @returns {Generator<{type: 'word'|'param'|'other', text: string, start: number}>} */
function* tokens(sql) {
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i++;
      for (;;) {
        const e = sql.indexOf(close, i);
        if (e < 0) { i = n; break; }
        i = e + 1;
        if (close !== ']' && sql[i] === close) { i++; continue; } // doubled quote = escaped
        break;
      }
      yield { type: 'other', text: sql.slice(start, i), start };
    } else if (c === '?') {
      i++;
      while (i < n && /[0-9]/.test(sql[i])) i++;
      yield { type: 'param', text: sql.slice(start, i), start };
    } else if ((c === ':' || c === '@' || c === '$') && isIdentChar(sql[i + 1])) {
      i++;
      while (isIdentChar(sql[i])) i++;
      yield { type: 'param', text: sql.slice(start, i), start };
    } else if (isIdentChar(c)) {
      while (isIdentChar(sql[i])) i++;
      yield { type: 'word', text: sql.slice(start, i), start };
    } else {
      i++;
      yield { type: 'other', text: c, start };
    }
  }
}

/**
 * Number of parameters SQLite will allocate for one statement (the largest index), using
 * SQLite's numbering: `?` takes max+1, `?NNN` takes NNN, a named parameter reuses its index.
 * Throws D1's error for an index above 100.
 */
function parameterCount(sql) {
  let max = 0;
  const named = new Map();
  for (const t of tokens(sql)) {
    if (t.type !== 'param') continue;
    let index;
    if (t.text === '?') {
      index = max + 1;
    } else if (t.text[0] === '?') {
      index = Number(t.text.slice(1));
      if (!(index >= 1 && index <= MAX_PARAMS)) {
        throw fail(`variable number must be between ?1 and ?${MAX_PARAMS} at offset ${t.start}: SQLITE_ERROR`);
      }
    } else {
      index = named.get(t.text) ?? max + 1;
      named.set(t.text, index);
    }
    if (index > MAX_PARAMS) throw fail(`too many SQL variables at offset ${t.start}: SQLITE_ERROR`);
    max = Math.max(max, index);
  }
  return max;
}

// PRAGMAs D1 allows (checked against Miniflare's local D1); everything else is SQLITE_AUTH.
const ALLOWED_PRAGMAS = new Set([
  'case_sensitive_like', 'data_version', 'defer_foreign_keys', 'foreign_key_check',
  'foreign_key_list', 'foreign_keys', 'ignore_check_constraints', 'index_info', 'index_list',
  'index_xinfo', 'legacy_alter_table', 'optimize', 'quick_check', 'recursive_triggers',
  'reverse_unordered_selects', 'table_info', 'table_list', 'table_xinfo',
]);
const TRANSACTION_WORDS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);
// Functions D1's authorizer refuses; replaced by ones that fail with D1's message.
const DENIED_FUNCTIONS = {
  sqlite_version: 0, sqlite_source_id: 0, sqlite_compileoption_used: 1, sqlite_compileoption_get: 1,
};

/** Refuse what D1's authorizer refuses, judged from the statement's leading words. */
function checkAuthorised(sql) {
  const words = [];
  for (const t of tokens(sql)) {
    words.push(t.text);
    if (words.length === 4) break;
  }
  const first = (words[0] ?? '').toUpperCase();
  if (TRANSACTION_WORDS.has(first)) throw fail(TRANSACTION_MESSAGE);
  if (first === 'ATTACH' || first === 'DETACH') throw fail('not authorized: SQLITE_AUTH');
  if (first === 'PRAGMA') {
    // PRAGMA name | PRAGMA schema.name
    const name = (words[2] === '.' ? words[3] : words[1]) ?? '';
    if (!ALLOWED_PRAGMAS.has(name.replace(/^["`[]|["`\]]$/g, '').toLowerCase())) {
      throw fail('not authorized: SQLITE_AUTH');
    }
  }
}

/** Miniflare drops queries that are blank once indented `--` lines are removed. */
const isBlankQuery = (sql) => sql.replace(/^\s+--.*/gm, '').trim().length === 0;

// ---------------------------------------------------------------------------------------------
// Values

/** D1's bind() conversion (workerd d1-api): throws for anything D1 would not send. */
function toD1Value(v) {
  const type = typeof v;
  if (type === 'number' || type === 'string') return v;
  if (type === 'boolean') return v ? 1 : 0;
  if (type === 'object') {
    if (v === null) return null;
    if (Array.isArray(v) && v.every((b) => typeof b === 'number' && b >= 0 && b < 256)) return v;
    if (v instanceof ArrayBuffer) return Array.from(new Uint8Array(v));
    if (ArrayBuffer.isView(v)) return Array.from(/** @type {any} */ (v));
  }
  let shown;
  try { shown = String(v); } catch { shown = Object.prototype.toString.call(v); }
  const message = `Type '${type}' not supported for value '${shown}'`;
  // D1 itself throws a plain Error with this message; a TypeError is still an Error.
  throw new TypeError(`D1_TYPE_ERROR: ${message}`, { cause: new Error(message) });
}

/** What sql.js binds for a D1 value: byte arrays as blobs, non-finite numbers as null. */
function toSqlJsValue(v) {
  if (Array.isArray(v)) return new Uint8Array(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return null; // JSON turns these into null
  return v;
}

/**
 * sql.js binds int32-range numbers with sqlite3_bind_int; D1 binds every number as a double.
 * Re-bind numbers with sqlite3_bind_double, using the statement pointer (the first field of
 * sql.js's Statement; its name is minified, so it is found by position and checked once by
 * probeDoubleBinding before being relied on).
 */
function bindValues(SQL, st, values, asDouble) {
  st.bind(values);
  if (!asDouble) return;
  let ptr;
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') continue;
    ptr ??= Object.values(st)[0];
    SQL._sqlite3_bind_double(ptr, i + 1, values[i]);
  }
}

/** Does bindValues' double re-binding work with this sql.js build? */
function probeDoubleBinding(SQL, db) {
  if (typeof SQL._sqlite3_bind_double !== 'function') return false;
  const st = db.prepare('SELECT typeof(?) AS t, ? AS v');
  try {
    const ptr = Object.values(st)[0];
    if (typeof ptr !== 'number' || !Number.isInteger(ptr) || ptr < 1024) return false;
    bindValues(SQL, st, [3, 7], true);
    st.step();
    const [type, value] = st.get();
    return type === 'real' && value === 7;
  } catch {
    return false;
  } finally {
    st.free();
  }
}

/** Blobs come back from D1 as arrays of numbers. */
const fromSqlJsValue = (v) => (v instanceof Uint8Array ? Array.from(v) : v);

/** The one row of a kept-prepared statement with no parameters. */
function firstRow(st) {
  st.step();
  const row = st.get();
  st.reset();
  return row;
}

/** The current row of a stepped statement, blobs as D1 gives them. */
function rowValues(st) {
  const row = st.get();
  for (let i = 0; i < row.length; i++) row[i] = fromSqlJsValue(row[i]);
  return row;
}

// ---------------------------------------------------------------------------------------------
// The engine: one sql.js database plus the D1 rules

class Engine {
  constructor(SQL, db, filename) {
    this.SQL = SQL;
    this.db = db;
    this.filename = filename;
    this.bindAsDouble = probeDoubleBinding(SQL, db);
    this.writes = 0; // committed transactions that changed the database (bookmark source)
    db.exec('PRAGMA foreign_keys = ON');
    for (const [name, arity] of Object.entries(DENIED_FUNCTIONS)) {
      const deny = () => { throw new Error(`not authorized to use function: ${name}`); };
      db.create_function(name, arity === 0 ? deny : (_x) => deny());
    }
    this.statements = new Map(); // SQL text -> { st, count }: see runCached
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.counters = db.prepare('SELECT total_changes(), last_insert_rowid()');
    // Apart: the pragma functions cost about 50 us a step, 50x the counters.
    this.sizeQuery = db.prepare(
      'SELECT (SELECT page_count FROM pragma_page_count()) * (SELECT page_size FROM pragma_page_size())',
    );
  }

  readCounters() {
    const [total, lastRowId] = firstRow(this.counters);
    return { total, lastRowId };
  }

  readSize() {
    return firstRow(this.sizeQuery)[0];
  }

  /**
   * A query seen before that held exactly one statement: its checks already passed, so it is
   * bound and stepped again without re-parsing (workerd keeps a prepared-statement cache keyed
   * by SQL text too). SQLite re-prepares it by itself if the schema changed.
   */
  runCached({ st, count }, params) {
    if (count !== params.length) throw fail('Wrong number of parameter bindings for SQL query.');
    try {
      if (count > 0) bindValues(this.SQL, st, params.map(toSqlJsValue), this.bindAsDouble);
      const rows = [];
      while (st.step()) rows.push(rowValues(st));
      return { columns: st.getColumnNames(), rows };
    } finally {
      st.reset();
    }
  }

  runFirstTime(sql, params) {
    if (Buffer.byteLength(sql, 'utf8') > MAX_SQL_BYTES) throw fail('statement too long: SQLITE_TOOBIG');
    let columns = [];
    let rows = [];
    let seen = 0;
    let count = 0;
    let more = true; // text after the last statement that must still hold a statement
    const it = this.db.iterateStatements(sql);
    for (const st of it) {
      seen++;
      const text = st.getSQL();
      more = it.getRemainingSQL().trim() !== '';
      checkAuthorised(text);
      count = parameterCount(text);
      if (more && count > 0) {
        throw fail('When executing multiple SQL statements in a single call, only the last statement can have parameters.');
      }
      if (!more) {
        if (count !== params.length) throw fail('Wrong number of parameter bindings for SQL query.');
        if (count > 0) bindValues(this.SQL, st, params.map(toSqlJsValue), this.bindAsDouble);
      }
      columns = st.getColumnNames();
      rows = [];
      while (st.step()) rows.push(rowValues(st));
    }
    // workerd refuses "SELECT 1; -- trailing comment" and "SELECT 1;;" the same way.
    if (!seen || more) throw fail('SQL code did not contain a statement.');
    if (seen === 1) this.remember(sql, count);
    return { columns, rows };
  }

  /**
   * Keeps a one-statement query (data, not schema: DDL runs once) prepared; the cache is
   * emptied when full, to bound memory.
   */
  remember(sql, count) {
    if (!CACHEABLE.test(sql)) return;
    if (this.statements.size >= STATEMENT_CACHE_SIZE) this.forgetStatements();
    this.statements.set(sql, { st: this.db.prepare(sql), count, readOnly: READ_ONLY.test(sql) });
  }

  forgetStatements() {
    for (const { st } of this.statements.values()) st.free();
    this.statements.clear();
  }

  bookmark() {
    return `00000000-${this.writes.toString(16).padStart(8, '0')}-00000000-${'0'.repeat(32)}`;
  }

  /**
   * Run queries ({sql, params}) as one transaction, D1-style; returns one D1 result each.
   * @param {{sql: string, params: any[]}[]} queries
   */
  transaction(queries) {
    // A query in the statement cache is known not to be blank.
    queries = queries.filter((q) => this.statements.has(q.sql) || !isBlankQuery(q.sql));
    if (queries.length === 0) throw fail('No SQL statements detected.');
    const { db } = this;
    this.begin.run();
    const results = [];
    try {
      // Each query's counters after are the next one's before: one read each.
      let counters = this.readCounters();
      for (const q of queries) {
        const result = this.query(q.sql, q.params, counters);
        counters = result.counters;
        results.push(result);
      }
      this.commit.run(); // deferred foreign keys are checked here
    } catch (err) {
      this.commit.reset();
      try { db.exec('ROLLBACK'); } catch { /* SQLite already rolled back */ }
      const e = toD1Error(err, db);
      e[FAILED_AT] = results.length; // which query failed (for exec's line number)
      throw e;
    }
    if (results.some((r) => r.meta.changed_db)) this.writes++;
    return results;
  }

  /** One D1 query (possibly several statements) inside the current transaction. */
  query(sql, params, before) {
    const t0 = performance.now();
    const cached = this.statements.get(sql);
    // Only a statement run for the first time can be DDL (cached ones are data
    // statements), which changes the database without changing rows: the size
    // tells. A cached statement's size is read when someone asks for it.
    const sizeBefore = cached ? undefined : this.readSize();
    const { columns, rows } = cached ? this.runCached(cached, params) : this.runFirstTime(sql, params);
    // A read leaves the counters as they were: one step of SQL saved per read.
    const after = cached?.readOnly ? before : this.readCounters();
    const changes = after.total - before.total;
    const sizeAfter = cached ? undefined : this.readSize();
    const changedDb = changes !== 0 || after.lastRowId !== before.lastRowId || sizeAfter !== sizeBefore;
    return {
      columns,
      rows,
      counters: after,
      meta: new QueryMeta(this, performance.now() - t0, changes, after.lastRowId, changedDb, sizeAfter, rows.length),
    };
  }
}

/**
 * D1's meta of one query. size_after is read when first asked for if the query did not
 * need it (a cached statement): reading it costs about 50 µs. A class, with the getter on
 * its prototype: an object literal with an accessor is several times slower to create.
 */
class QueryMeta {
  #engine;
  #size;
  constructor(engine, duration, changes, lastRowId, changedDb, size, rowsRead) {
    this.served_by = 'd1-sqljs';
    this.duration = duration;
    this.changes = changes;
    this.last_row_id = lastRowId;
    this.changed_db = changedDb;
    this.rows_read = rowsRead; // approximation: sql.js has no cursor statistics
    this.rows_written = changes; // approximation
    this.#engine = engine;
    this.#size = size;
  }

  get size_after() {
    this.#size ??= this.#engine.readSize();
    return this.#size;
  }

  toJSON() {
    return { ...this, size_after: this.size_after };
  }
}

/** D1's all()/batch() result shape. */
function toResult({ columns, rows, meta }) {
  return {
    success: true,
    meta,
    // Duplicate column names collapse, last wins, as in D1.
    results: rows.map((row) => {
      const object = {};
      for (let i = 0; i < columns.length; i++) object[columns[i]] = row[i];
      return object;
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The D1 surface

const CONSTRAINTS = new Set(['first-primary', 'first-unconstrained']);

class Session {
  /** @param {Engine} engine @param {string | null} bookmarkOrConstraint null = always primary */
  constructor(engine, bookmarkOrConstraint) {
    this.engine = engine;
    this.bookmarkOrConstraint = bookmarkOrConstraint;
  }

  /** @param {string} sql */
  prepare(sql) {
    return new D1PreparedStatement(this, sql, []);
  }

  /** @param {D1PreparedStatement[]} statements */
  async batch(statements) {
    if (!Array.isArray(statements)) throw new TypeError('D1_ERROR: batch() expects an array of prepared statements');
    const queries = statements.map((s) => {
      if (!(s instanceof D1PreparedStatement)) throw new TypeError('D1_ERROR: batch() expects prepared statements');
      return { sql: s.statement, params: s.params };
    });
    return this._run(queries).map(toResult);
  }

  /** Latest bookmark seen; null until the first query of a session started from a constraint. */
  getBookmark() {
    const b = this.bookmarkOrConstraint;
    return b === null || CONSTRAINTS.has(b) ? null : b;
  }

  _run(queries) {
    const results = this.engine.transaction(queries);
    if (this.bookmarkOrConstraint !== null) {
      // Keep the newest bookmark, compared as D1 does (string order).
      const next = this.engine.bookmark();
      const current = this.getBookmark();
      if (current === null || current.localeCompare(next) < 0) this.bookmarkOrConstraint = next;
    }
    return results;
  }
}

class D1PreparedStatement {
  /** @param {Session} session @param {string} statement @param {any[]} params */
  constructor(session, statement, params) {
    this.session = session;
    this.statement = statement;
    this.params = params;
  }

  /** Returns a new statement with these values (D1 semantics: the original is unchanged). */
  bind(...values) {
    return new D1PreparedStatement(this.session, this.statement, values.map(toD1Value));
  }

  _one() {
    return this.session._run([{ sql: this.statement, params: this.params }])[0];
  }

  async all() {
    return toResult(this._one());
  }

  async run() {
    // Miniflare's run() returns the rows too; production D1 may return an empty list.
    return toResult(this._one());
  }

  /** @param {{columnNames?: boolean}} [options] */
  async raw(options) {
    const { columns, rows } = this._one();
    return options?.columnNames ? [columns, ...rows] : rows;
  }

  /** @param {string} [column] */
  async first(column) {
    const row = toResult(this._one()).results[0];
    if (row === undefined) return null;
    if (column === undefined) return row;
    if (row[column] === undefined) {
      throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`, { cause: new Error('Column not found') });
    }
    return row[column];
  }
}

class SqlJsD1Database {
  /** @param {Engine} engine */
  constructor(engine) {
    this.engine = engine;
    this.primary = new Session(engine, null);
  }

  /** @param {string} sql */
  prepare(sql) {
    return this.primary.prepare(sql);
  }

  /** @param {D1PreparedStatement[]} statements */
  async batch(statements) {
    return this.primary.batch(statements);
  }

  /**
   * D1's exec(): every LINE is one query (so a statement must not span lines), all lines run
   * in one transaction. Returns { count, duration }.
   * @param {string} sql
   */
  async exec(sql) {
    const t0 = performance.now();
    const lines = sql.trim().split('\n');
    const queries = [];
    lines.forEach((line, i) => { if (!isBlankQuery(line)) queries.push({ sql: line, params: [], line: i }); });
    try {
      this.engine.transaction(queries);
    } catch (err) {
      const q = queries[err[FAILED_AT]];
      // Miniflare always names line 1; naming the failing line is more useful and same shape.
      const where = q ? `Error in line ${q.line + 1}: ${q.sql}` : `Error in line 1: ${lines[0]}`;
      throw d1Error('D1_EXEC_ERROR', `${where}: ${err.message.replace(/^D1_ERROR: /, '')}`);
    }
    return { count: queries.length, duration: performance.now() - t0 };
  }

  /** @param {string} [constraintOrBookmark] 'first-primary' | 'first-unconstrained' | bookmark */
  withSession(constraintOrBookmark) {
    let b = constraintOrBookmark?.trim();
    if (b == null || b === '') b = 'first-unconstrained';
    return new Session(this.engine, b);
  }

  /** The whole database file (D1's deprecated dump()). */
  async dump() {
    const bytes = this.engine.db.export();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }

  /** Write the database to `filename` (default: the file it was opened from). */
  async save(filename = this.engine.filename) {
    if (!filename) throw new Error('save(): no filename given and none was opened');
    const tmp = `${filename}.tmp-${process.pid}`;
    await writeFile(tmp, this.engine.db.export());
    await rename(tmp, filename); // atomic replace: a crash never leaves a torn file
  }

  close() {
    this.engine.forgetStatements();
    for (const st of [this.engine.counters, this.engine.begin, this.engine.commit]) st.free();
    this.engine.db.close();
  }
}

/**
 * Open a D1-compatible database over sql.js. In memory, or loaded from `filename` if that file
 * exists (call save() to write it back), or from `bytes` (a database file's contents, as dump()
 * returns them).
 * @param {{ filename?: string, bytes?: ArrayBuffer | Uint8Array }} [options]
 * @returns {Promise<SqlJsD1Database>}
 */
export async function createSqlJsD1({ filename, bytes: image } = {}) {
  const SQL = await loadSqlJs();
  const bytes = image ? new Uint8Array(image) : filename && existsSync(filename) ? await readFile(filename) : undefined;
  return new SqlJsD1Database(new Engine(SQL, new SQL.Database(bytes), filename));
}

/**
 * Close a database from createSqlJsD1, optionally saving it first.
 * @param {SqlJsD1Database} d1
 * @param {{ save?: boolean }} [options]
 */
export async function closeSqlJsD1(d1, { save = false } = {}) {
  if (save) await d1.save();
  d1.close();
}

export { D1PreparedStatement, SqlJsD1Database };
