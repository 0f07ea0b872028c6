// Opt-in (EVENTUALL_OPENNEXT=1): a Next.js app on OpenNext for Cloudflare
// (examples/opennext-app) calls EventuallService (examples/consumer-worker's
// service.wrangler.jsonc) over its service binding, served in workerd by `wrangler dev` with
// both configs. Not in CI's default run: it installs about 730 MB (Next.js, OpenNext, a
// newer wrangler) and `opennextjs-cloudflare build` took 140-295 s on this machine's 2 cores
// (the whole opt-in run: 326 s, install 59 s with a warm npm cache).
// The app is bundled and served by the repository's wrangler 4.86: OpenNext's own wrangler
// (>= 4.148) needs node 22.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = path.join(ROOT, 'node_modules/.bin/wrangler');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NEXT_TELEMETRY_DISABLED: '1', NO_COLOR: '1' };
const OPT_IN = process.env.EVENTUALL_OPENNEXT === '1';

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

test(
  'a Next.js app on OpenNext calls EventuallService over its service binding in workerd',
  { skip: OPT_IN ? false : 'opt-in: EVENTUALL_OPENNEXT=1 (installs ~730 MB, builds for minutes)', timeout: 20 * 60_000 },
  async (t) => {
    const tmp = await mkdtemp(path.join(tmpdir(), 'eventuall-opennext-'));
    t.after(() => rm(tmp, { recursive: true, force: true, maxRetries: 5 }));
    const sh = (cwd, file, args) => run(file, args, { cwd, env: ENV, maxBuffer: 1 << 26 });
    const skipBuilt = (src) => !/(^|\/)(node_modules|\.wrangler|\.next|\.open-next|dist[^/]*)(\/|$)/.test(src);
    const started = Date.now();
    const phases = [];
    const phase = (name) => phases.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, maxBuffer: 1 << 24 });
    const tarball = path.join(tmp, JSON.parse(packed.slice(packed.indexOf('[')))[0].filename);
    const service = path.join(tmp, 'service');
    const app = path.join(tmp, 'next');
    await cp(path.join(ROOT, 'examples/consumer-worker'), service, { recursive: true, filter: (s) => skipBuilt(path.relative(ROOT, s)) });
    await cp(path.join(ROOT, 'examples/opennext-app'), app, { recursive: true, filter: (s) => skipBuilt(path.relative(ROOT, s)) });
    await sh(service, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
    await sh(app, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
    phase('install');

    await sh(service, path.join(service, 'node_modules/.bin/eventuall-data'), ['migrations', 'copy', '--config', 'wrangler.jsonc']);
    for (const binding of ['DB', 'WORKERS_DB']) await sh(service, WRANGLER, ['d1', 'migrations', 'apply', binding, '--local']);
    await sh(app, path.join(app, 'node_modules/.bin/opennextjs-cloudflare'), ['build']);
    phase('opennext build');

    const { stdout } = await sh(app, WRANGLER, ['deploy', '--dry-run', '--outdir', 'dist']);
    const size = /Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/.exec(stdout)?.[0];
    assert.ok(size, stdout);
    assert.deepEqual((await readdir(path.join(app, 'dist'))).filter((f) => f.endsWith('.wasm')), []);
    t.diagnostic(`OpenNext app bundle: ${size}`);

    const port = await freePort();
    const dev = spawn(
      WRANGLER,
      ['dev', '-c', 'wrangler.jsonc', '-c', path.join(service, 'service.wrangler.jsonc'), '--ip', '127.0.0.1', '--port', String(port),
        '--persist-to', path.join(service, '.wrangler/state')],
      { cwd: app, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    // Runs before the rm above (after hooks run last first), and waits for workerd to let go.
    const exited = new Promise((resolve) => dev.on('exit', resolve));
    t.after(async () => {
      if (dev.exitCode === null) process.kill(-dev.pid);
      await exited;
    });
    let log = '';
    await new Promise((resolve, reject) => {
      const seen = (chunk) => {
        log += chunk;
        if (/Ready on http/.test(log)) resolve();
      };
      dev.stdout.on('data', seen);
      dev.stderr.on('data', seen);
      dev.on('exit', (code) => reject(new Error(`wrangler dev exited (${code}):\n${log}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/api/demo?tag=opennext`, { method: 'POST' });
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.deepEqual([body.eventName, body.rooms], ['From Next.js', 1]);
    phase('served');
    t.diagnostic(`phases: ${phases.join(', ')}`);
  },
);
