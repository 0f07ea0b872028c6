// Interleaving with wrangler on local D1: wrangler applies 0000, `eventuall apply` applies 0001
// to the same persisted SQLite file, wrangler then sees nothing pending and applies 0002 itself,
// and `eventuall status` agrees at every step. Runs in a temp project with its own wrangler.toml
// and --persist-to, so the repository's .wrangler is never touched.
import test, { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = process.env.EVENTUALL_NATIVE_CLI ?? join(ROOT, 'build/native/eventuall');
// The project's own wrangler, never a download (npx in a temp folder would fetch one).
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };

const TOML = `name = "eventuall-migrations-test"
compatibility_date = "2026-04-01"
send_metrics = false

[[d1_databases]]
binding = "DB"
database_name = "eventuall-webapp"
database_id = "00000000-0000-4000-8000-000000000001"
migrations_dir = "migrations/webapp"
`;

// Data-only migrations: the C++ schema stays what 0000 builds, so `check` can pass too.
const M1 = `-- written for the interleaving test
INSERT INTO permissions (id, name, description, created_at) VALUES
  ('perminterleaveone0000000', 'interleave.one', 'applied by eventuall', 1767225600);
`;
const M2 = `INSERT INTO permissions (id, name, description, created_at) VALUES
  ('perminterleavetwo0000000', 'interleave.two', 'applied by wrangler', 1767225600);
`;

describe('eventuall and wrangler take turns on one local D1', { skip: !existsSync(CLI) && `no ${CLI}: build it first` }, () => {
  let project;
  let state;
  let migrations;

  const wrangler = async (...args) => {
    const { stdout } = await run(WRANGLER, [...args, '--local', '--persist-to', state], { cwd: project, env: ENV, timeout: 120_000 });
    return stdout;
  };
  // Returns stdout and the exit code; a non-zero exit is a result, not a throw.
  const eventuall = async (...args) => {
    try {
      const { stdout } = await run(CLI, [...args, '--dir', migrations], { cwd: project, env: ENV });
      return { code: 0, stdout };
    } catch (err) {
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  before(async () => {
    project = await mkdtemp(join(tmpdir(), 'eventuall-wrangler-'));
    state = join(project, 'state');
    migrations = join(project, 'migrations/webapp');
    await mkdir(migrations, { recursive: true });
    await writeFile(join(project, 'wrangler.toml'), TOML);
    // The baseline builds the current C++ schema: every repository migration, as one file.
    const repo = join(ROOT, 'migrations/webapp');
    const names = (await readdir(repo)).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
    const texts = await Promise.all(names.map((f) => readFile(join(repo, f), 'utf8')));
    await writeFile(join(migrations, '0000_initial.sql'), texts.join('\n'));
    // The baseline snapshot, written by our tool (it checks 0000 builds the C++ schema).
    const { stdout } = await run(CLI, ['snapshot', 'webapp', '--dir', migrations], { cwd: project, env: ENV });
    assert.match(stdout, /wrote .*meta\/0000_snapshot\.json/);
    await run(CLI, ['sum', 'webapp', '--dir', migrations], { cwd: project, env: ENV });
  });
  after(async () => {
    if (project) await rm(project, { recursive: true, force: true });
  });

  test('wrangler 0000, eventuall 0001, wrangler 0002', { timeout: 300_000 }, async () => {
    // 1. wrangler applies 0000 to a fresh local D1.
    const applied0 = await wrangler('d1', 'migrations', 'apply', 'DB');
    assert.match(applied0, /0000_initial\.sql/);
    const dbDir = join(state, 'v3/d1/miniflare-D1DatabaseObject');
    const files = (await readdir(dbDir)).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
    assert.equal(files.length, 1);
    const dbFile = join(dbDir, files[0]);

    let status = await eventuall('status', 'webapp', state);
    assert.equal(status.code, 0, status.stderr);
    assert.ok(status.stdout.includes(files[0]), status.stdout); // found by its tables
    assert.match(status.stdout, /applied {2}0000_initial\.sql/);
    assert.match(status.stdout, /1 applied, 0 pending/);

    // 2. a new migration: both tools call it pending.
    await writeFile(join(migrations, '0001_interleave_one.sql'), M1);
    assert.equal((await eventuall('sum', 'webapp')).code, 0); // hand-written: record it
    status = await eventuall('status', state); // database inferred from its tables
    assert.match(status.stdout, /pending {2}0001_interleave_one\.sql/);
    const listed = await wrangler('d1', 'migrations', 'list', 'DB');
    await writeFile(join(project, 'list.txt'), listed);
    const fromWrangler = await eventuall('status', 'webapp', '--wrangler-list', join(project, 'list.txt'));
    assert.equal(fromWrangler.code, 0, fromWrangler.stderr);
    assert.match(fromWrangler.stdout, /applied {2}0000_initial\.sql/);
    assert.match(fromWrangler.stdout, /pending {2}0001_interleave_one\.sql/);

    const check1 = await eventuall('check', 'webapp', '--target', state);
    assert.equal(check1.code, 1);
    assert.match(check1.stdout, /pending on .*\n\s+0001_interleave_one\.sql/);
    assert.match(check1.stdout, /fix: run `eventuall apply webapp/);

    // 3. eventuall applies it to wrangler's file (dry run first: nothing written).
    const dry = await eventuall('apply', 'webapp', state, '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would apply 1 migration\(s\)[\s\S]*0001_interleave_one\.sql/);
    assert.match(await wrangler('d1', 'migrations', 'list', 'DB'), /0001_interleave_one\.sql/);
    const applied1 = await eventuall('apply', 'webapp', state);
    assert.equal(applied1.code, 0, applied1.stderr);
    assert.match(applied1.stdout, /applied 0001_interleave_one\.sql/);

    // 4. wrangler sees nothing pending, and sees the row.
    assert.match(await wrangler('d1', 'migrations', 'list', 'DB'), /No migrations to apply/);
    const rows = JSON.parse(await wrangler('d1', 'execute', 'DB', '--json', '--command',
      "SELECT name AS name FROM permissions WHERE name LIKE 'interleave.%' ORDER BY name"));
    assert.deepEqual(rows[0].results.map((r) => r.name), ['interleave.one']);

    // 5. wrangler continues with 0002; eventuall agrees, and check passes (0000 and 0002 carry
    //    no checksum: wrangler applied them, which check notes without failing).
    await writeFile(join(migrations, '0002_interleave_two.sql'), M2);
    assert.equal((await eventuall('sum', 'webapp')).code, 0);
    assert.match(await wrangler('d1', 'migrations', 'apply', 'DB'), /0002_interleave_two\.sql/);
    status = await eventuall('status', 'webapp', state, '--db-file', dbFile);
    assert.match(status.stdout, /3 applied, 0 pending/);
    const check2 = await eventuall('check', 'webapp', '--target', state);
    assert.equal(check2.code, 0, check2.stdout);
    assert.match(check2.stdout, /note no checksum recorded[\s\S]*0000_initial\.sql[\s\S]*0002_interleave_two\.sql/);
    assert.doesNotMatch(check2.stdout, /note[^\n]*\n[^\n]*0001_interleave_one/);

    // 6. an applied file edited afterwards is caught by its checksum.
    await writeFile(join(migrations, '0001_interleave_one.sql'), M1.replace('eventuall', 'someone else'));
    const check3 = await eventuall('check', 'webapp', '--target', state);
    assert.equal(check3.code, 1);
    assert.match(check3.stdout, /0001_interleave_one\.sql changed since it was applied/);
    assert.match(check3.stdout, /0001_interleave_one\.sql was edited after it was recorded/);
  });
});
