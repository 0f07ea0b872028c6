// The package's migrations in a consumer's project: copy them into the consumer's
// migrations_dir (which wrangler reads and `wrangler d1 migrations create` writes to), with an
// integrity record, and check the target database for name collisions before anything runs.
//
// Why copy: a migrations_dir inside node_modules works until `wrangler d1 migrations create`
// writes the consumer's own migration there, and an upgrade of the package would delete it.
//
// The integrity record, `<dir>/eventuall-data-migrations.json` (wrangler reads only the *.sql
// files at the top of the folder), holds the SHA-256 of every file as copied. With it, an
// upgrade tells apart:
//   - a file the package adds                     -> copied;
//   - a file unchanged since it was copied        -> left as is;
//   - a file the consumer edited since            -> refused, nothing is written;
//   - a file the package changed after copying it -> refused (applied migrations are never
//                                                    edited; such a package is a bug);
//   - a same-named file that eventuall-data never copied -> refused.
// Every check runs before the first write: a refusal writes nothing.
//
// Collisions: each CREATE TABLE/VIEW/INDEX/TRIGGER (and ALTER TABLE ... RENAME TO) of a
// migration not yet recorded in the target database's d1_migrations is compared with the
// names in its sqlite_master; `table users already exists` is reported before wrangler runs.

import { createHash, createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { listMigrationFiles, splitSqlStatements } from '../node/migrations.mjs';

export const PACKAGE_NAME = 'eventuall-data';
export const DATABASES = Object.freeze(['webapp', 'workers']);
export const RECORD_FILE = 'eventuall-data-migrations.json';
const RECORD_FORMAT = 'eventuall-data-migrations';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PACKAGE_MIGRATIONS = path.join(PACKAGE_ROOT, 'migrations');

/** The version in the package's package.json. */
export async function packageVersion(root = PACKAGE_ROOT) {
  return JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')).version;
}

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The migrations of one database in a migrations folder: [{name, sha256, text}], by name.
 * @param {string} dir
 */
export async function readMigrations(dir) {
  const out = [];
  for (const name of await listMigrationFiles(dir)) {
    const bytes = await readFile(path.join(dir, name));
    out.push({ name, sha256: sha256(bytes), text: bytes.toString('utf8') });
  }
  return out;
}

const IDENT = String.raw`(?:"((?:[^"]|"")+)"|\x60([^\x60]+)\x60|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_$]*))`;
const CREATE = new RegExp(
  String.raw`^CREATE\s+(?:UNIQUE\s+)?(?:TEMP(?:ORARY)?\s+)?(TABLE|VIEW|INDEX|TRIGGER)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:${IDENT}\s*\.\s*)?${IDENT}`,
  'i',
);
const DROP = new RegExp(
  String.raw`^DROP\s+(TABLE|VIEW|INDEX|TRIGGER)\s+(?:IF\s+EXISTS\s+)?(?:${IDENT}\s*\.\s*)?${IDENT}`,
  'i',
);
const RENAME = new RegExp(String.raw`^ALTER\s+TABLE\s+${IDENT}\s+RENAME\s+TO\s+${IDENT}`, 'i');
const identAt = (m, i) => (m[i] ?? m[i + 1] ?? m[i + 2] ?? m[i + 3]).replace(/""/g, '"');

/**
 * The schema objects a migration's SQL creates, in order: [{type: 'table'|'view'|'index'|'trigger',
 * name}], with {dropped: true} for an object it drops first (a view recreated by a later
 * migration is dropped, then created: not a collision).
 * @param {string} text
 */
export function createdObjects(text) {
  const out = [];
  for (const statement of splitSqlStatements(text)) {
    const create = CREATE.exec(statement);
    if (create) {
      out.push({ type: create[1].toLowerCase(), name: identAt(create, 6) });
      continue;
    }
    const drop = DROP.exec(statement);
    if (drop) {
      out.push({ type: drop[1].toLowerCase(), name: identAt(drop, 6), dropped: true });
      continue;
    }
    const renamed = RENAME.exec(statement);
    if (renamed) out.push({ type: 'table', name: identAt(renamed, 5) });
  }
  return out;
}

// --- the target database: a local D1 sqlite file ------------------------------------------

/**
 * The file Miniflare (wrangler dev, `wrangler d1 ... --local`, getPlatformProxy) keeps a local
 * D1 database in: `<state>/v3/d1/miniflare-D1DatabaseObject/<id>.sqlite`, where id is the
 * Durable Object id Miniflare derives from the database id (its durableObjectNamespaceIdFromName).
 * @param {string} stateDir `.wrangler/state` (or a --persist-to folder)
 * @param {string} databaseId preview_database_id ?? database_id ?? binding, as wrangler picks
 */
export function localD1File(stateDir, databaseId) {
  const uniqueKey = 'miniflare-D1DatabaseObject';
  const key = createHash('sha256').update(uniqueKey).digest();
  const nameHmac = createHmac('sha256', key).update(databaseId).digest().subarray(0, 16);
  const hmac = createHmac('sha256', key).update(nameHmac).digest().subarray(0, 16);
  const id = Buffer.concat([nameHmac, hmac]).toString('hex');
  const d1 = path.basename(stateDir) === 'd1' ? stateDir : path.join(stateDir, 'v3', 'd1');
  return path.join(d1, uniqueKey, `${id}.sqlite`);
}

let sqlJs;
async function loadSqlJs() {
  let init;
  try {
    init = (await import('sql.js')).default;
  } catch (e) {
    throw new Error(`${PACKAGE_NAME}: reading a database needs sql.js (npm install sql.js): ${e.message}`);
  }
  sqlJs ??= await init();
  return sqlJs;
}

/**
 * What a database file holds: its schema names and the migrations wrangler recorded.
 * A missing file is an empty database (wrangler creates it on first use). Local D1 files are
 * in WAL mode and workerd leaves its log behind (after `wrangler d1 migrations apply --local`
 * the tables are in the -wal file, not yet in the main one), so the log's committed frames
 * are applied to a copy in memory first, as SQLite would on opening it.
 * @param {string} file
 * @returns {Promise<{ file: string, exists: boolean, objects: {type: string, name: string}[], applied: string[] }>}
 */
export async function readTargetDatabase(file) {
  if (!existsSync(file)) return { file, exists: false, objects: [], applied: [] };
  const SQL = await loadSqlJs();
  let bytes = new Uint8Array(await readFile(file));
  const wal = `${file}-wal`;
  if (existsSync(wal)) bytes = withWal(bytes, new Uint8Array(await readFile(wal)));
  // A WAL-mode file (bytes 18-19 = 2) reads as a rollback-journal one: its log is applied.
  if (bytes.length >= 20 && bytes[18] === 2) bytes[18] = bytes[19] = 1;
  const db = new SQL.Database(bytes);
  try {
    const rows = (sql) => {
      const [result] = db.exec(sql);
      return result ? result.values : [];
    };
    const objects = rows("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").map(
      ([type, name]) => ({ type, name }),
    );
    const hasLog = objects.some((o) => o.type === 'table' && o.name === 'd1_migrations');
    const applied = hasLog ? rows('SELECT name FROM d1_migrations ORDER BY id').map(([name]) => name) : [];
    return { file, exists: true, objects, applied };
  } finally {
    db.close();
  }
}

const WAL_HEADER = 32;
const WAL_FRAME_HEADER = 24;

/**
 * The database file with the committed frames of its write-ahead log applied (SQLite's WAL
 * format, sqlite.org/fileformat.html#the_write_ahead_log): frames are valid while their salts
 * match the header's and their cumulative checksums hold; pages of frames after the last
 * commit frame are ignored. A log with a bad header is empty, as SQLite treats it.
 */
export function withWal(db, wal) {
  if (wal.length < WAL_HEADER) return db;
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return db;
  const littleEndian = magic === 0x377f0682;
  const checksum = (s0, s1, offset, length) => {
    for (let i = offset; i < offset + length; i += 8) {
      s0 = (s0 + view.getUint32(i, littleEndian) + s1) >>> 0;
      s1 = (s1 + view.getUint32(i + 4, littleEndian) + s0) >>> 0;
    }
    return [s0, s1];
  };
  const pageSize = view.getUint32(8);
  let [s0, s1] = checksum(0, 0, 0, 24);
  if (s0 !== view.getUint32(24) || s1 !== view.getUint32(28)) return db;
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  const pages = new Map();
  let pending = [];
  let size = 0;
  for (let at = WAL_HEADER; at + WAL_FRAME_HEADER + pageSize <= wal.length; at += WAL_FRAME_HEADER + pageSize) {
    if (view.getUint32(at + 8) !== salt1 || view.getUint32(at + 12) !== salt2) break;
    [s0, s1] = checksum(s0, s1, at, 8);
    [s0, s1] = checksum(s0, s1, at + WAL_FRAME_HEADER, pageSize);
    if (s0 !== view.getUint32(at + 16) || s1 !== view.getUint32(at + 20)) break;
    pending.push([view.getUint32(at), at + WAL_FRAME_HEADER]);
    const commitSize = view.getUint32(at + 4);
    if (commitSize) {
      for (const [page, offset] of pending) pages.set(page, offset);
      pending = [];
      size = commitSize;
    }
  }
  if (!size) return db;
  const out = new Uint8Array(size * pageSize);
  out.set(db.subarray(0, Math.min(db.length, out.length)));
  for (const [page, offset] of pages) {
    if (page <= size) out.set(wal.subarray(offset, offset + pageSize), (page - 1) * pageSize);
  }
  return out;
}

// --- the plan ---------------------------------------------------------------------------------

async function readRecord(dir) {
  const file = path.join(dir, RECORD_FILE);
  if (!existsSync(file)) return null;
  const record = JSON.parse(await readFile(file, 'utf8'));
  if (record?.format !== RECORD_FORMAT || typeof record.files !== 'object') {
    throw new Error(`${file} is not an ${PACKAGE_NAME} integrity record`);
  }
  return record;
}

/**
 * Everything `copy` would do for one database, without writing.
 * @param {{ database: 'webapp'|'workers', to: string, from?: string, version?: string,
 *           target?: Awaited<ReturnType<typeof readTargetDatabase>> | null }} options
 *   from: the package's migrations root (default: this package's migrations/);
 *   target: the database the migrations will run on (for the collision check).
 */
export async function planCopy({ database, to, from = PACKAGE_MIGRATIONS, version, target = null }) {
  if (!DATABASES.includes(database)) throw new Error(`unknown database "${database}" (webapp or workers)`);
  version ??= await packageVersion(path.dirname(from));
  const source = await readMigrations(path.join(from, database));
  const record = existsSync(to) ? await readRecord(to) : null;
  if (record && record.database !== database) {
    throw new Error(`${path.join(to, RECORD_FILE)} records the ${record.database} migrations, not ${database}`);
  }
  const recorded = record?.files ?? {};
  const plan = { database, to, version, from: record?.version ?? null, copy: [], unchanged: [], refused: [], collisions: [], removed: [] };

  for (const file of source) {
    const at = path.join(to, file.name);
    if (!existsSync(at)) {
      plan.copy.push(file);
      continue;
    }
    const present = sha256(await readFile(at));
    if (present === file.sha256) {
      plan.unchanged.push(file);
    } else if (!(file.name in recorded)) {
      plan.refused.push({ name: file.name, reason: `${at} exists and was not copied by ${PACKAGE_NAME}` });
    } else if (present !== recorded[file.name]) {
      plan.refused.push({ name: file.name, reason: `${at} was edited since ${PACKAGE_NAME} ${record.version} copied it` });
    } else {
      plan.refused.push({
        name: file.name,
        reason: `${PACKAGE_NAME} ${version} changed ${file.name}, copied unchanged from ${record.version}: applied migrations are never edited`,
      });
    }
  }
  const names = new Set(source.map((f) => f.name));
  plan.removed = Object.keys(recorded).filter((name) => !names.has(name));

  if (target) {
    const applied = new Set(target.applied);
    const existing = new Map(target.objects.map((o) => [o.name.toLowerCase(), o]));
    const created = new Set();
    for (const file of source) {
      if (applied.has(file.name)) continue;
      for (const object of createdObjects(file.text)) {
        const key = object.name.toLowerCase();
        if (object.dropped) {
          existing.delete(key);
          created.delete(key);
          continue;
        }
        const found = existing.get(key);
        if (found && !created.has(key)) {
          plan.collisions.push({ migration: file.name, type: object.type, name: object.name, existing: found.type, file: target.file });
        }
        created.add(key);
      }
    }
  }
  plan.ok = plan.refused.length === 0 && plan.collisions.length === 0;
  return plan;
}

/** Carries out a plan from planCopy (which must be ok): the files, then the record. */
export async function applyCopy(plan) {
  if (!plan.ok) throw new Error('applyCopy: the plan has refusals or collisions');
  await mkdir(plan.to, { recursive: true });
  for (const file of plan.copy) await writeAtomically(path.join(plan.to, file.name), file.text);
  const previous = (await readRecord(plan.to))?.files ?? {};
  const files = { ...previous };
  for (const file of [...plan.unchanged, ...plan.copy]) files[file.name] = file.sha256;
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
  const record = { format: RECORD_FORMAT, package: PACKAGE_NAME, version: plan.version, database: plan.database, files: sorted };
  await writeAtomically(path.join(plan.to, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

async function writeAtomically(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** The plan as lines a person reads. */
export function describePlan(plan) {
  const lines = [`${plan.database} -> ${plan.to} (${PACKAGE_NAME} ${plan.from ? `${plan.from} -> ` : ''}${plan.version})`];
  for (const f of plan.copy) lines.push(`  copy       ${f.name}`);
  for (const f of plan.unchanged) lines.push(`  unchanged  ${f.name}`);
  for (const r of plan.refused) lines.push(`  REFUSED    ${r.name}: ${r.reason}`);
  for (const c of plan.collisions) {
    lines.push(`  COLLISION  ${c.migration} creates ${c.type} ${c.name}, but ${c.file} already has a ${c.existing} named so`);
  }
  for (const name of plan.removed) lines.push(`  note       ${name} was copied before but is no longer in the package (left as is)`);
  if (plan.collisions.length) {
    lines.push('  eventuall-data needs its own D1 database (or one without these names): nothing was copied');
  }
  return lines;
}
