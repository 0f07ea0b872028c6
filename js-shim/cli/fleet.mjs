// Migrations for a fleet of webapp D1 databases (js-shim/fleet.mjs): one command applies the
// migrations to every database of the fleet, and check reports database by database.
//
//   eventuall-data migrations apply --config wrangler.jsonc --fleet fleet.mjs [--state dir] [--remote] [--dry-run]
//   eventuall-data migrations check --config wrangler.jsonc --fleet fleet.mjs [--state dir]
//
// Each database's migrations are its d1_databases entry's migrations_dir (where
// `eventuall-data migrations copy` put the package's). Locally (the default) they are applied
// to the file wrangler dev and `wrangler d1 migrations apply --local` use under --state, through
// Miniflare's own D1 and with wrangler's bookkeeping (js-shim/node/migrations.mjs), so wrangler
// afterwards sees nothing pending; --remote runs `wrangler d1 migrations apply <binding>
// --remote` once per database. Every database is tried: one that fails does not stop the others,
// and the exit code says whether all are up to date.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { applyMigrations, listMigrationFiles } from '../node/migrations.mjs';
import { localD1File, readTargetDatabase } from './migrations.mjs';
import { readWranglerD1 } from './wrangler_config.mjs';

/** The fleet a module declares (its default export, or `fleet`). */
export async function loadFleet(file) {
  const module = await import(pathToFileURL(path.resolve(file)).href);
  const fleet = module.default ?? module.fleet;
  if (!fleet || !Array.isArray(fleet.databases)) throw new Error(`${file} exports no fleet (export default defineFleet({...}))`);
  return fleet;
}

/** Per database of the fleet: {binding, databaseId, migrationsDir, file (local D1)}. */
export function fleetTargets(config, fleet, state = path.join(path.dirname(config), '.wrangler/state')) {
  const entries = readWranglerD1(config);
  return fleet.databases.map((binding) => {
    const entry = entries.find((e) => e.binding === binding);
    if (!entry) throw new Error(`${config} has no d1_databases entry with binding "${binding}" (named by the fleet)`);
    const databaseId = entry.preview_database_id ?? entry.database_id ?? entry.binding;
    return {
      binding,
      databaseId,
      migrationsDir: path.resolve(path.dirname(config), entry.migrations_dir ?? 'migrations'),
      file: localD1File(state, databaseId),
    };
  });
}

/** What each local database has: {binding, file, exists, applied, pending, unknown}. */
export async function fleetStatus(targets) {
  const out = [];
  for (const t of targets) {
    const files = existsSync(t.migrationsDir) ? await listMigrationFiles(t.migrationsDir) : [];
    const db = await readTargetDatabase(t.file);
    const applied = new Set(db.applied);
    out.push({
      binding: t.binding,
      file: t.file,
      exists: db.exists,
      migrations: files.length,
      applied: db.applied,
      pending: files.filter((f) => !applied.has(f)),
      unknown: db.applied.filter((name) => !files.includes(name)),
    });
  }
  return out;
}

export function describeStatus(statuses) {
  const width = Math.max(...statuses.map((s) => s.binding.length));
  return statuses.map((s) => {
    const name = s.binding.padEnd(width);
    if (s.unknown.length) return `${name}  UNKNOWN    has ${s.unknown.join(', ')}, not in its migrations_dir (a newer release?)`;
    if (!s.exists) return `${name}  pending    no local database yet; ${s.pending.length} to apply`;
    if (s.pending.length) return `${name}  pending    ${s.applied.length} of ${s.migrations} applied; to apply: ${s.pending.join(', ')}`;
    return `${name}  ok         ${s.applied.length} of ${s.migrations} applied`;
  });
}

/** Applies each database's pending migrations to its local D1: [{binding, applied} | {binding, error}]. */
export async function applyFleetLocal(targets, state) {
  let Miniflare;
  try {
    ({ Miniflare } = await import('miniflare'));
  } catch {
    throw new Error('applying locally needs miniflare (installed with wrangler)');
  }
  const d1Databases = Object.fromEntries(targets.map((t) => [t.binding, t.databaseId]));
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }); } }',
    d1Databases,
    d1Persist: path.basename(state) === 'd1' ? state : path.join(state, 'v3', 'd1'),
  });
  const out = [];
  try {
    for (const t of targets) {
      try {
        out.push({ binding: t.binding, applied: await applyMigrations(await mf.getD1Database(t.binding), t.migrationsDir) });
      } catch (e) {
        out.push({ binding: t.binding, error: e.message });
      }
    }
  } finally {
    await mf.dispose();
  }
  return out;
}

/** `wrangler d1 migrations apply <binding> --remote` per database (or only prints them: dryRun). */
export function applyFleetRemote(targets, config, { dryRun = false, wrangler = 'wrangler' } = {}) {
  return targets.map((t) => {
    const args = ['d1', 'migrations', 'apply', t.binding, '--remote', '--config', config];
    if (dryRun) return { binding: t.binding, command: [wrangler, ...args].join(' ') };
    const run = spawnSync(wrangler, args, { stdio: 'inherit', env: { ...process.env, CI: 'true' } });
    return run.status === 0 ? { binding: t.binding, applied: 'remote' } : { binding: t.binding, error: `wrangler exited with ${run.status ?? run.error?.message}` };
  });
}

/** The CLI's `migrations apply|check --fleet`: exit code 0 (all up to date / applied) or 1. */
export async function fleetCommand(command, options, print = console.log) {
  if (!options.config) throw new Error('--fleet needs --config <wrangler config>');
  const config = path.resolve(options.config);
  const state = path.resolve(options.state ?? path.join(path.dirname(config), '.wrangler/state'));
  const fleet = await loadFleet(options.fleet);
  const targets = fleetTargets(config, fleet, state);
  if (command === 'check') {
    const statuses = await fleetStatus(targets);
    for (const line of describeStatus(statuses)) print(line);
    return statuses.every((s) => s.exists && !s.pending.length && !s.unknown.length) ? 0 : 1;
  }
  if (options.remote) {
    const results = applyFleetRemote(targets, config, { dryRun: options['dry-run'] });
    for (const r of results) print(r.command ?? (r.error ? `${r.binding}  FAILED     ${r.error}` : `${r.binding}  applied (remote)`));
    return results.some((r) => r.error) ? 1 : 0;
  }
  const before = await fleetStatus(targets);
  if (options['dry-run']) {
    for (const line of describeStatus(before)) print(line);
    return 0;
  }
  const blocked = new Set(before.filter((s) => s.unknown.length).map((s) => s.binding));
  const results = await applyFleetLocal(targets.filter((t) => !blocked.has(t.binding)), state);
  for (const s of before.filter((b) => blocked.has(b.binding))) results.push({ binding: s.binding, error: `has ${s.unknown.join(', ')}, not in its migrations_dir: not touched` });
  const width = Math.max(...results.map((r) => r.binding.length));
  for (const t of targets) {
    const r = results.find((x) => x.binding === t.binding);
    const name = r.binding.padEnd(width);
    print(r.error ? `${name}  FAILED     ${r.error}` : `${name}  applied    ${r.applied.length ? r.applied.join(', ') : 'nothing pending'}`);
  }
  return results.some((r) => r.error) ? 1 : 0;
}
