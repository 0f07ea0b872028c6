#!/usr/bin/env node
// eventuall-data: the package's command line, for a consumer's project (npx eventuall-data ...).
//
//   eventuall-data version
//       the package version, the wasm build and the migrations it needs (JSON)
//   eventuall-data migrations copy  --config wrangler.jsonc [--webapp DB] [--workers WORKERS_DB]
//                                   [--state .wrangler/state] [--dry-run]
//   eventuall-data migrations copy  <webapp|workers> --to <dir> [--db <sqlite-file> |
//                                   --state <dir> --database-id <id>] [--dry-run]
//       copy the package's migrations into the consumer's migrations_dir with an integrity
//       record (js-shim/cli/migrations.mjs says what is refused), after checking the local D1
//       for table names the migrations would create (a collision writes nothing)
//   eventuall-data migrations check ...same options...
//       the same checks, writing nothing: exit 1 when a copy is needed, refused or collides
//
// With --config, each named binding's migrations_dir and local database come from the
// wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml); --webapp/--workers name
// the bindings (default DB and WORKERS_DB; `--workers none` skips one). The local database is
// the file wrangler dev and `wrangler d1 migrations apply --local` use under --state
// (default: .wrangler/state beside the config). Remote databases are not read: run
// `wrangler d1 execute <DB> --remote --command "SELECT name FROM sqlite_master"` yourself.
//
//   eventuall-data migrations apply --config wrangler.jsonc --fleet fleet.mjs [--state <dir>] [--remote] [--dry-run]
//   eventuall-data migrations check --config wrangler.jsonc --fleet fleet.mjs [--state <dir>]
//       a fleet of webapp D1 databases (js-shim/fleet.mjs, the module's default export): apply
//       every database's pending migrations (local D1 files, or `wrangler d1 migrations apply
//       --remote` per database), or report database by database (js-shim/cli/fleet.mjs)
//
// Exit codes: 0 done (or nothing to do), 1 refused, collision or (check) work to do, 2 usage.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import {
  DATABASES,
  PACKAGE_MIGRATIONS,
  applyCopy,
  describePlan,
  localD1File,
  packageVersion,
  planCopy,
  readMigrations,
  readTargetDatabase,
} from './migrations.mjs';
import { fleetCommand } from './fleet.mjs';
import { readWranglerD1 } from './wrangler_config.mjs';

const USAGE = `usage:
  eventuall-data version
  eventuall-data migrations copy|check --config <wrangler config> [--webapp DB] [--workers WORKERS_DB] [--state <dir>] [--dry-run]
  eventuall-data migrations copy|check <webapp|workers> --to <dir> [--db <sqlite-file> | --state <dir> --database-id <id>] [--dry-run]
  eventuall-data migrations apply|check --config <wrangler config> --fleet <fleet.mjs> [--state <dir>] [--remote] [--dry-run]`;

class UsageError extends Error {}

/** The databases to copy, each {database, to, targetFile}, from the command line. */
function targetsFrom(positionals, options) {
  if (options.config) {
    if (positionals.length || options.to) throw new UsageError('--config names the folders itself: no <database> or --to');
    const config = path.resolve(options.config);
    const bindings = readWranglerD1(config);
    const state = path.resolve(options.state ?? path.join(path.dirname(config), '.wrangler/state'));
    const out = [];
    for (const database of DATABASES) {
      const binding = options[database] ?? (database === 'webapp' ? 'DB' : 'WORKERS_DB');
      if (binding === 'none') continue;
      const entry = bindings.find((b) => b.binding === binding);
      if (!entry) throw new UsageError(`${config} has no d1_databases entry with binding "${binding}" (for ${database}; --${database} <binding> or none)`);
      out.push({
        database,
        to: path.resolve(path.dirname(config), entry.migrations_dir ?? 'migrations'),
        targetFile: localD1File(state, entry.preview_database_id ?? entry.database_id ?? entry.binding),
      });
    }
    return out;
  }
  const [database, extra] = positionals;
  if (!DATABASES.includes(database) || extra !== undefined) throw new UsageError('name one database: webapp or workers');
  if (!options.to) throw new UsageError('--to <migrations dir> is required (or --config)');
  if (options.db && options.state) throw new UsageError('--db and --state are exclusive');
  if (options.state && !options['database-id']) throw new UsageError('--state needs --database-id (the D1 binding\'s database_id)');
  let targetFile = null;
  if (options.db) targetFile = path.resolve(options.db);
  else if (options.state) targetFile = localD1File(path.resolve(options.state), options['database-id']);
  return [{ database, to: path.resolve(options.to), targetFile }];
}

async function migrations(command, positionals, options) {
  const targets = targetsFrom(positionals, options);
  const plans = [];
  for (const { database, to, targetFile } of targets) {
    const target = targetFile ? await readTargetDatabase(targetFile) : null;
    plans.push(await planCopy({ database, to, target }));
  }
  for (const plan of plans) for (const line of describePlan(plan)) console.log(line);
  if (!plans.every((p) => p.ok)) return 1; // nothing written for any database
  if (command === 'check') return plans.some((p) => p.copy.length) ? 1 : 0;
  if (options['dry-run']) return 0;
  for (const plan of plans) await applyCopy(plan);
  const copied = plans.reduce((n, p) => n + p.copy.length, 0);
  console.log(`copied ${copied} migration file(s); next: wrangler d1 migrations apply <BINDING> --local (and --remote)`);
  return 0;
}

async function version() {
  const required = {};
  for (const database of DATABASES) {
    required[database] = (await readMigrations(path.join(PACKAGE_MIGRATIONS, database))).map((m) => m.name);
  }
  const manifest = path.join(PACKAGE_MIGRATIONS, '../js-shim/dist/manifest.mjs');
  const build = existsSync(manifest) ? (await import(pathToFileURL(manifest).href)).build : null;
  console.log(JSON.stringify({ version: await packageVersion(), build, requiredMigrations: required }, null, 2));
  return 0;
}

async function main(argv) {
  const { values: options, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      webapp: { type: 'string' },
      workers: { type: 'string' },
      to: { type: 'string' },
      db: { type: 'string' },
      state: { type: 'string' },
      'database-id': { type: 'string' },
      'dry-run': { type: 'boolean' },
      fleet: { type: 'string' },
      remote: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [area, command, ...rest] = positionals;
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  if (area === 'version' && command === undefined) return version();
  if (area === 'migrations' && options.fleet && (command === 'apply' || command === 'check') && !rest.length) {
    return fleetCommand(command, options);
  }
  if (area === 'migrations' && command === 'apply') throw new UsageError('migrations apply takes --config and --fleet (a single database: wrangler d1 migrations apply)');
  if (options.fleet || options.remote) throw new UsageError('--fleet/--remote go with migrations apply|check --config');
  if (area === 'migrations' && (command === 'copy' || command === 'check')) return migrations(command, rest, options);
  throw new UsageError(`unknown command: ${positionals.join(' ') || '(none)'}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`eventuall-data: ${error.message}`);
    if (error instanceof UsageError || error.code?.startsWith?.('ERR_PARSE_ARGS')) {
      console.error(USAGE);
      process.exit(2);
    }
    process.exit(1);
  },
);
