// Apply wrangler-style D1 migrations through any D1-like binding: the sql.js adapter
// (./d1_sqljs.mjs) or Miniflare's real local D1 (`await mf.getD1Database('DB')`).
//
// Same bookkeeping as `wrangler d1 migrations apply` (wrangler 4.86, src/d1/migrations):
//   - table d1_migrations, created with wrangler's exact DDL (so the schema text in
//     sqlite_master matches a database wrangler migrated);
//   - pending = files whose name is not in d1_migrations (a set difference, never a high-water
//     mark), applied in name order;
//   - each file's statements plus its d1_migrations INSERT run as ONE db.batch(), which D1
//     commits or rolls back as a whole.
// Differences from wrangler: wrangler takes every *.sql file in the folder and orders by the
// numeric prefix (same order for zero-padded NNNN_ names); it inserts the name as a quoted
// literal where we bind it; it strips one "BEGIN TRANSACTION;"/"COMMIT;" pair from dumps,
// which we leave for D1 to reject.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CREATE_MIGRATIONS_TABLE, INSERT_MIGRATION } from '../d1_migrations_table.mjs';

const MIGRATION_FILE = /^\d+_.+\.sql$/;

const isWordChar = (c) => c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

/**
 * Split the text of a .sql file into statements (without their `;`), as wrangler does before
 * sending a file to D1: comments are removed (a `--` comment becomes a newline, a block comment
 * a space), quoted strings and identifiers ('', "", ``, []) are kept whole, a `;` inside a
 * CREATE TRIGGER ... BEGIN ... END body (including CASE ... END inside it) does not split, and
 * empty statements are dropped.
 *
 * Removing comments matters on D1: "SELECT 1; -- note" in one prepare() fails with "SQL code
 * did not contain a statement".
 * @param {string} text
 * @returns {string[]}
 */
export function splitSqlStatements(text) {
  const statements = [];
  let current = '';
  let depth = 0; // open BEGIN/CASE blocks inside a trigger body
  let head = []; // first three words of the current statement, upper-cased
  const finish = () => {
    const s = current.trim();
    if (s) statements.push(s);
    current = '';
    depth = 0;
    head = [];
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
      current += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      current += ' ';
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const e = text.indexOf(close, j);
        if (e < 0) { j = n; break; } // unterminated: keep the rest, SQLite will report it
        j = e + 1;
        if (close !== ']' && text[j] === close) { j++; continue; } // '' is an escaped quote
        break;
      }
      current += text.slice(i, j);
      i = j;
    } else if (isWordChar(c)) {
      let j = i + 1;
      while (isWordChar(text[j])) j++;
      const word = text.slice(i, j);
      current += word;
      i = j;
      const upper = word.toUpperCase();
      if (head.length < 3) head.push(upper);
      const isTrigger =
        head[0] === 'CREATE' &&
        (head[1] === 'TRIGGER' || ((head[1] === 'TEMP' || head[1] === 'TEMPORARY') && head[2] === 'TRIGGER'));
      if (upper === 'BEGIN' && isTrigger) depth++;
      else if (upper === 'CASE' && depth > 0) depth++;
      else if (upper === 'END' && depth > 0) depth--;
    } else if (c === ';' && depth === 0) {
      finish();
      i++;
    } else {
      current += c;
      i++;
    }
  }
  finish();
  return statements;
}

/**
 * Migration files (`NNNN_name.sql`) at the top of `dir`, sorted by name.
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
export async function listMigrationFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && MIGRATION_FILE.test(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Names recorded in d1_migrations, in the order they were applied. Creates the table (with
 * wrangler's DDL) if it is missing.
 * @param {any} db a D1Database-like binding
 * @returns {Promise<string[]>}
 */
export async function appliedMigrations(db) {
  await db.prepare(CREATE_MIGRATIONS_TABLE).run();
  const { results } = await db.prepare('SELECT name AS name FROM d1_migrations ORDER BY id').all();
  return results.map((r) => r.name);
}

/**
 * Apply every migration in `dir` not yet recorded in d1_migrations. Each file is one atomic
 * db.batch() (its statements + its d1_migrations row). Stops at the first failure, which is
 * rethrown naming the file (earlier files stay applied, the failing one leaves nothing).
 * @param {any} db a D1Database-like binding
 * @param {string} dir
 * @returns {Promise<string[]>} names applied by this call
 */
export async function applyMigrations(db, dir) {
  const applied = new Set(await appliedMigrations(db));
  const done = [];
  for (const name of await listMigrationFiles(dir)) {
    if (applied.has(name)) continue;
    try {
      const text = await readFile(join(dir, name), 'utf8');
      const statements = splitSqlStatements(text).map((sql) => db.prepare(sql));
      statements.push(db.prepare(INSERT_MIGRATION).bind(name));
      await db.batch(statements);
    } catch (err) {
      throw new Error(`Migration ${name} failed: ${err?.message ?? err}`, { cause: err });
    }
    done.push(name);
  }
  return done;
}

/**
 * Run a seed file's statements as one atomic batch. Returns the batch results ([] for a file
 * with no statements, since D1 rejects an empty batch).
 * @param {any} db a D1Database-like binding
 * @param {string} file
 * @returns {Promise<any[]>}
 */
export async function applySeed(db, file) {
  const statements = splitSqlStatements(await readFile(file, 'utf8'));
  if (statements.length === 0) return [];
  try {
    return await db.batch(statements.map((sql) => db.prepare(sql)));
  } catch (err) {
    throw new Error(`Seed ${file} failed: ${err?.message ?? err}`, { cause: err });
  }
}
