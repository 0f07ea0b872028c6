// Node local development over wrangler's getPlatformProxy (js-shim/node/platform.mjs): the
// wasm in node against the very local D1 files wrangler uses. In a temp project: the package
// CLI copies the migrations, `wrangler d1 migrations apply --local` applies them; what node
// writes through the platform proxy wrangler reads back, and what wrangler writes node reads.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { openPlatformEventuall } from '../../js-shim/node/platform.mjs';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = path.join(ROOT, 'node_modules/.bin/wrangler');
const CLI = path.join(ROOT, 'js-shim/cli/eventuall-data.mjs');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };

const CONFIG = `{
  "name": "platform-proxy-test",
  "compatibility_date": "2026-04-01",
  "send_metrics": false,
  "d1_databases": [
    { "binding": "DB", "database_name": "webapp", "database_id": "00000000-0000-4000-8000-0000000000a1", "migrations_dir": "migrations/webapp" },
    { "binding": "WORKERS_DB", "database_name": "workers", "database_id": "00000000-0000-4000-8000-0000000000a2", "migrations_dir": "migrations/workers" }
  ]
}
`;

test('node over getPlatformProxy and wrangler share one local D1 state', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'eventuall-platform-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const configPath = path.join(dir, 'wrangler.jsonc');
  await writeFile(configPath, CONFIG);
  const wrangler = (...args) => run(WRANGLER, args, { cwd: dir, env: ENV, maxBuffer: 1 << 24 });

  await run(process.execPath, [CLI, 'migrations', 'copy', '--config', configPath], { cwd: dir });
  await assert.rejects(openPlatformEventuall({ configPath }), /DB lacks migrations 0000_initial\.sql, .*wrangler d1 migrations apply DB --local/);
  await wrangler('d1', 'migrations', 'apply', 'DB', '--local');
  await wrangler('d1', 'migrations', 'apply', 'WORKERS_DB', '--local');

  // node writes through the platform proxy...
  let local = await openPlatformEventuall({ configPath });
  let ada;
  try {
    ({ user: ada } = await local.ev.signUp({ email: 'ada@example.com', name: 'Ada' }));
  } finally {
    await local.dispose();
  }
  // ...wrangler reads it from .wrangler/state, and writes (the seed) for node to read.
  const { stdout } = await wrangler('d1', 'execute', 'DB', '--local', '--json', '--command', "SELECT id AS id FROM users WHERE email = 'ada@example.com'");
  assert.deepEqual(JSON.parse(stdout)[0].results, [{ id: ada.id }]);
  await wrangler('d1', 'execute', 'DB', '--local', '--file', path.join(ROOT, 'migrations/seeds/account_user.sql'));
  local = await openPlatformEventuall({ configPath });
  try {
    const { user } = await local.ev.getUser({ id: 'seedusereventuall0000001' });
    assert.equal(user.email, 'admin@eventuall.live');
    const { user: again } = await local.ev.getUser({ id: ada.id });
    assert.equal(again.name, 'Ada');
  } finally {
    await local.dispose();
  }
});
