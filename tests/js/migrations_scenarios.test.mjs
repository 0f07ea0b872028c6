// The schema changes of issue 16 on a populated local D1, with real wrangler. Each scenario in
// tests/js/migration_scenarios/ (with its base in bases/; written by the native suite, which fails when `eventuall
// generate` would now write other files: `EVENTUALL_SCENARIO_DIR=tests/js/migration_scenarios
// build/native/eventuall_tests -tc='*scenarios*'` rewrites them) holds its initial migration,
// rows in every table (populate, foreign keys respected) and the migration generate wrote, or
// its refusal. Here wrangler applies the initial migration, the
// rows go in with `wrangler d1 execute --file`, wrangler applies the generated migration, and the
// row count of every table is compared before and after: a kept table (by its new name) keeps
// every row, a dropped one is gone.
import test, { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIOS = join(ROOT, 'tests/js/migration_scenarios');
const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };

const TOML = `name = "eventuall-migration-scenarios"
compatibility_date = "2026-04-01"
send_metrics = false

[[d1_databases]]
binding = "DB"
database_name = "eventuall-scenarios"
database_id = "00000000-0000-4000-8000-000000000002"
migrations_dir = "migrations"
`;

// What each scenario must do: applied (rows kept) or refused (with this reason).
const EXPECTED = {
  additive_column_with_index: { applied: /ADD COLUMN nickname[\s\S]*CREATE INDEX parents_nickname_idx/ },
  not_null_with_default: { applied: /ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0/ },
  new_child_table: { applied: /CREATE TABLE tags/ },
  type_change_on_referenced_table: { refused: /parents would need a rebuild[\s\S]*children\.parent_id \(ON DELETE CASCADE\)/ },
  rename_with_flag: { applied: /RENAME COLUMN note TO remark/ },
  rename_without_flag: { refused: /drops data[\s\S]*--drop children\.note[\s\S]*--rename children\.note=remark/ },
  leaf_rebuild: { applied: /CREATE TABLE __new_logs/ },
  parent_table_rename: { applied: /ALTER TABLE parents RENAME TO hosts/ },
  drop_leaf_table: { applied: /DROP TABLE logs/ },
  retire_child_of_rebuilt_parent: { applied: /DROP TABLE venue_bookings[\s\S]*DROP TABLE venues/ },
};

// Each scenario has its own project and --persist-to folder: three run at once (most of the
// time is wrangler starting up).
describe('generated migrations on a populated local D1, applied by wrangler', { concurrency: 3 }, () => {
  let work;
  const scenarios = SCENARIOS;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'eventuall-scenarios-'));
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('every scenario folder has an expectation here', async () => {
    assert.deepEqual((await readdir(SCENARIOS)).filter((f) => f !== 'bases').sort(), Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(name, { timeout: 180_000 }, async () => {
      const dir = join(scenarios, name);
      if (expected.refused) {
        assert.ok(!existsSync(join(dir, 'after')), 'nothing generated');
        assert.match(await readFile(join(dir, 'refused.txt'), 'utf8'), expected.refused);
        return;
      }
      const project = join(work, name);
      const state = join(project, 'state');
      const migrations = join(project, 'migrations');
      await mkdir(migrations, { recursive: true });
      await writeFile(join(project, 'wrangler.toml'), TOML);
      const wrangler = async (...args) => {
        const { stdout } = await run(WRANGLER, [...args, '--local', '--persist-to', state], { cwd: project, env: ENV, timeout: 120_000 });
        return stdout;
      };
      const { base, kept, dropped } = JSON.parse(await readFile(join(dir, 'expect.json'), 'utf8'));
      const baseDir = join(scenarios, 'bases', base);
      const counts = async (tables) => {
        const select = tables.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ');
        const left = dropped.length
          ? `, (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (${dropped.map((t) => `'${t}'`).join(', ')})) AS dropped_left`
          : '';
        const out = JSON.parse(await wrangler('d1', 'execute', 'DB', '--json', '--command', `SELECT ${select}${left}`));
        return out[0].results[0];
      };

      await cp(join(baseDir, '0000_initial.sql'), join(migrations, '0000_initial.sql'));
      assert.match(await wrangler('d1', 'migrations', 'apply', 'DB'), /0000_initial\.sql/);
      await wrangler('d1', 'execute', 'DB', '--file', join(baseDir, 'seed.sql'));
      const oldNames = [...Object.keys(kept), ...dropped];
      const then = await counts(oldNames);
      for (const t of oldNames) assert.ok(then[t] >= 3, `${t} holds rows before (${then[t]})`);

      const [file] = await readdir(join(dir, 'after'));
      const sql = await readFile(join(dir, 'after', file), 'utf8');
      assert.match(sql, expected.applied);
      await cp(join(dir, 'after', file), join(migrations, file));
      assert.match(await wrangler('d1', 'migrations', 'apply', 'DB'), new RegExp(file.replace('.', '\\.')));
      const now = await counts(Object.values(kept));
      for (const [old, renamed] of Object.entries(kept)) {
        assert.equal(now[renamed], then[old], `${old} -> ${renamed}: rows before and after`);
      }
      if (dropped.length) assert.equal(now.dropped_left, 0, `dropped: ${dropped.join(', ')}`);
    });
  }
});
