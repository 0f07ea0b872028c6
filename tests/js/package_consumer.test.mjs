// A Workers project of its own installs the packed tarball (examples/consumer-worker, copied
// to a temp folder outside this repository so nothing resolves from our node_modules):
// npm install of the .tgz (its dependencies from the npm registry, or npm's cache), tsc with
// skipLibCheck false against @cloudflare/workers-types, the package's CLI copies the
// migrations, wrangler migrates both local D1s, `wrangler deploy --dry-run --outdir` bundles
// it (the size is reported), the bundle serves a request in workerd over those same local D1
// files (identity, events, orders, RBAC), and wrangler reads back what the Worker wrote.
// The same project's app Worker calls its EventuallService Worker over a service binding
// (both bundled by wrangler, run together in workerd). The node entry point (sql.js) works
// from the installed package too.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

// Every migration the package ships, of both databases (each copy writes them all).
const shipped = (db) =>
  readdirSync(new URL(`../../migrations/${db}/`, import.meta.url)).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
const SHIPPED_MIGRATIONS = shipped('webapp').length + shipped('workers').length;

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLE = path.join(ROOT, 'examples/consumer-worker');
const ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1' };

test('a consumer Worker installs the tarball, type-checks, migrates, bundles and serves', async (t) => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'eventuall-consumer-'));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  const app = path.join(tmp, 'app');
  const sh = (file, args, options = {}) => run(file, args, { cwd: app, env: ENV, maxBuffer: 1 << 26, ...options });
  const bin = (name) => path.join(app, 'node_modules/.bin', name);
  // A worker of Miniflare from a `wrangler deploy --dry-run --outdir` bundle, with the D1
  // bindings of wrangler.jsonc.
  const bundled = (outdir, main) => ({
    modules: true,
    scriptPath: path.join(app, outdir, main),
    modulesRoot: path.join(app, outdir),
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    d1Databases: { DB: '00000000-0000-4000-8000-00000000c001', WORKERS_DB: '00000000-0000-4000-8000-00000000c002' },
  });
  const started = Date.now();
  const phases = [];
  const phase = (name) => phases.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const { stdout: packed } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, maxBuffer: 1 << 24 });
  const tarball = path.join(tmp, JSON.parse(packed.slice(packed.indexOf('[')))[0].filename);
  await cp(EXAMPLE, app, { recursive: true, filter: (src) => !/(^|\/)(node_modules|\.wrangler|dist[^/]*)(\/|$)/.test(path.relative(EXAMPLE, src)) });
  phase('pack');

  await t.test('npm install of the tarball', async () => {
    await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
    const installed = JSON.parse(await readFile(path.join(app, 'node_modules/eventuall-data/package.json'), 'utf8'));
    assert.equal(installed.version, JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')).version);
    phase('npm install');
  });

  await t.test('tsc (skipLibCheck false) resolves eventuall-data and eventuall-data/eventuall.wasm', async () => {
    const tsconfig = JSON.parse(await readFile(path.join(app, 'tsconfig.json'), 'utf8'));
    assert.equal(tsconfig.compilerOptions.skipLibCheck, false);
    await sh(bin('tsc'), ['-p', '.']).catch((e) => assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`));
    phase('tsc');
  });

  await t.test('the package CLI copies the migrations; wrangler applies them to both local D1s', async () => {
    const { stdout } = await sh(bin('eventuall-data'), ['migrations', 'copy', '--config', 'wrangler.jsonc']);
    assert.match(stdout, new RegExp(`copied ${SHIPPED_MIGRATIONS} migration file\\(s\\)`));
    for (const binding of ['DB', 'WORKERS_DB']) {
      const { stdout: applied } = await sh(bin('wrangler'), ['d1', 'migrations', 'apply', binding, '--local']);
      assert.match(applied, /0000_initial\.sql/);
    }
    // The CLI reads the same local files (their write-ahead logs included): all applied,
    // nothing to copy, no collision.
    const { stdout: check } = await sh(bin('eventuall-data'), ['migrations', 'check', '--config', 'wrangler.jsonc']);
    assert.doesNotMatch(check, /copy |COLLISION|REFUSED/);
    const { readTargetDatabase, localD1File } = await import(
      pathToFileURL(path.join(app, 'node_modules/eventuall-data/js-shim/cli/migrations.mjs')).href
    );
    const webapp = await readTargetDatabase(localD1File(path.join(app, '.wrangler/state'), '00000000-0000-4000-8000-00000000c001'));
    assert.deepEqual(webapp.applied, shipped('webapp'));
    phase('migrations');
  });

  let bundleLine;
  await t.test('wrangler deploy --dry-run --outdir bundles the Worker and its wasm', async () => {
    const { stdout } = await sh(bin('wrangler'), ['deploy', '--dry-run', '--outdir', 'dist']);
    bundleLine = /Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/.exec(stdout)?.[0];
    assert.ok(bundleLine, stdout);
    t.diagnostic(`consumer bundle: ${bundleLine}`);
    phase('deploy --dry-run');
  });

  await t.test('the bundle serves /demo in workerd over the migrated local D1s; wrangler reads its writes', async () => {
    // The consumer's own Miniflare (a dependency of its wrangler), over the files wrangler
    // dev and `wrangler d1 ... --local` use.
    const { Miniflare } = await import(pathToFileURL(createRequire(path.join(app, 'package.json')).resolve('miniflare')).href);
    const mf = new Miniflare({ ...bundled('dist', 'index.js'), d1Persist: path.join(app, '.wrangler/state/v3/d1') });
    try {
      const response = await mf.dispatchFetch('http://consumer/demo?tag=ci', { method: 'POST' });
      const body = await response.json();
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.orderStatus, 'paid');
      assert.equal(body.attendeeCouldJoinBefore, false);
      assert.equal(body.attendeeCanJoinAfter, true);
      const version = await (await mf.dispatchFetch('http://consumer/version')).json();
      assert.deepEqual(version.requiredMigrations.workers, shipped('workers'));
    } finally {
      await mf.dispose();
    }
    const { stdout } = await sh(bin('wrangler'), [
      'd1', 'execute', 'DB', '--local', '--json', '--command',
      "SELECT email AS email FROM users WHERE email LIKE '%-ci@example.com' ORDER BY email",
    ]);
    assert.deepEqual(JSON.parse(stdout)[0].results.map((r) => r.email), ['attendee-ci@example.com', 'organiser-ci@example.com']);
    phase('workerd');
  });

  await t.test('over a service binding: the app (no wasm in its bundle) calls EventuallService, typed', async () => {
    const sizes = {};
    for (const worker of ['service', 'app']) {
      const { stdout } = await sh(bin('wrangler'), ['deploy', '-c', `${worker}.wrangler.jsonc`, '--dry-run', '--outdir', `dist-${worker}`]);
      sizes[worker] = /Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/.exec(stdout)?.[0];
    }
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(path.join(app, 'dist-app'))).filter((f) => f.endsWith('.wasm')), []);
    assert.equal((await readdir(path.join(app, 'dist-service'))).filter((f) => f.endsWith('.wasm')).length, 1);
    t.diagnostic(`service bundle: ${sizes.service}; app bundle: ${sizes.app}`);
    const { Miniflare } = await import(pathToFileURL(createRequire(path.join(app, 'package.json')).resolve('miniflare')).href);
    const mf = new Miniflare({
      d1Persist: path.join(app, '.wrangler/state/v3/d1'),
      workers: [
        { name: 'consumer-app', ...bundled('dist-app', 'app.js'), d1Databases: {}, serviceBindings: { EVENTUALL: 'eventuall-service' } },
        { name: 'eventuall-service', ...bundled('dist-service', 'service.js') },
      ],
    });
    try {
      const response = await mf.dispatchFetch('http://consumer-app/demo?tag=rpc', { method: 'POST' });
      const body = await response.json();
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.deepEqual([body.orderStatus, body.attendeeCanJoin], ['paid', true]);
    } finally {
      await mf.dispose();
    }
    phase('service binding');
  });

  await t.test('the node entry point runs from the installed package (sql.js is a dependency)', async () => {
    const script = `import { openLocalEventuall } from "eventuall-data/node";
      const local = await openLocalEventuall();
      const { user } = await local.ev.signUp({ email: "node@example.com", name: "Node" });
      console.log(JSON.stringify({ id: user.id }));`;
    const { stdout } = await sh(process.execPath, ['--input-type=module', '-e', script]);
    assert.match(JSON.parse(stdout).id, /^[a-z][0-9a-z]{23}$/);
    phase('node entry');
  });
  t.diagnostic(`phases: ${phases.join(', ')}`);
});
