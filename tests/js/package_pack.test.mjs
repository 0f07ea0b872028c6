// The package a Workers team installs (issue 17): what `npm pack` puts in the tarball, that
// `npm publish --dry-run` accepts it, that prepack refuses clearly without the C++ toolchain,
// and that the version and required migrations read at run time are this build's.
import test, { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));

async function filesUnder(dir) {
  const out = [];
  for (const entry of await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(ROOT, path.join(entry.parentPath ?? entry.path, entry.name)));
  }
  return out.sort();
}

describe('npm pack', () => {
  let tmp;
  let packed;
  before(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'eventuall-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, maxBuffer: 1 << 24 });
    [packed] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  test('the tarball holds the wasm, the shim, the types, the CLI, the migrations and the LICENSE', async () => {
    const files = new Set(packed.files.map((f) => f.path));
    for (const file of [
      'LICENSE',
      'README.md',
      'package.json',
      'js-shim/dist/eventuall.wasm',
      'js-shim/dist/manifest.mjs',
      'js-shim/eventuall.mjs',
      'js-shim/eventuall.d.mts',
      'js-shim/eventuall.wasm.d.mts',
      'js-shim/service.mjs',
      'js-shim/service.d.mts',
      'js-shim/cli/eventuall-data.mjs',
      'js-shim/node/local.mjs',
      'js-shim/node/d1_sqljs.mjs',
    ]) {
      assert.ok(files.has(file), `${file} is in the tarball`);
    }
    for (const file of await filesUnder('js-shim/types')) assert.ok(files.has(file), `${file} is in the tarball`);
    // The migrations folders wholesale: every .sql, snapshot and integrity file under meta/.
    for (const file of await filesUnder('migrations')) assert.ok(files.has(file), `${file} is in the tarball`);
    const wasm = packed.files.find((f) => f.path === 'js-shim/dist/eventuall.wasm');
    assert.ok(wasm.size > 100_000, `the wasm is built (${wasm.size} bytes)`);
    // Nothing of the repository's own: tests, C++ sources, the example Worker, build trees.
    for (const file of files) assert.match(file, /^(js-shim|migrations)\/|^(LICENSE|README\.md|package\.json)$/);
    for (const file of files) assert.doesNotMatch(file, /^js-shim\/example\//);
  });

  test('package.json: public, semver, licensed, sql.js a dependency of the node entry points', () => {
    assert.equal(pkg.private, undefined);
    assert.match(pkg.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    assert.equal(pkg.license, 'MIT');
    assert.ok(pkg.dependencies['sql.js'], 'sql.js is a dependency');
    assert.equal(pkg.devDependencies['sql.js'], undefined);
    assert.equal(pkg.bin['eventuall-data'], 'js-shim/cli/eventuall-data.mjs');
    assert.equal(pkg.exports['./eventuall.wasm'].types, './js-shim/eventuall.wasm.d.mts');
  });

  test('npm publish --dry-run accepts it', async () => {
    const { stdout, stderr } = await run('npm', ['publish', '--dry-run'], { cwd: ROOT, maxBuffer: 1 << 24 });
    assert.match(stdout + stderr, new RegExp(`\\+ ${pkg.name}@${pkg.version.replace(/\./g, '\\.')}`));
  });
});

test('prepack refuses without emscripten, naming what is missing', async (t) => {
  // A PATH with only what the script itself needs: bash, dirname, cat.
  const bin = await mkdtemp(path.join(tmpdir(), 'eventuall-nopath-'));
  t.after(() => rm(bin, { recursive: true, force: true }));
  for (const tool of ['bash', 'dirname', 'cat']) {
    const { stdout } = await run('bash', ['-c', `command -v ${tool}`]);
    await symlink(stdout.trim(), path.join(bin, tool));
  }
  await assert.rejects(
    run(path.join(bin, 'bash'), [path.join(ROOT, 'scripts/prepack.sh')], { env: { PATH: bin } }),
    (e) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr, /cannot pack eventuall-data/);
      assert.match(e.stderr, /emcmake em\+\+ cmake ninja/);
      assert.match(e.stderr, /scripts\/setup\.sh/);
      return true;
    },
  );
});

test('version and required migrations at run time are this build\'s', async () => {
  const shim = await import('../../js-shim/eventuall.mjs');
  assert.equal(shim.version, pkg.version);
  for (const database of ['webapp', 'workers']) {
    const names = (await readdir(path.join(ROOT, 'migrations', database))).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
    assert.deepEqual([...shim.requiredMigrations[database]], names);
  }
  const wasm = await readFile(path.join(ROOT, 'js-shim/dist/eventuall.wasm'));
  assert.equal(shim.build.wasmBytes, wasm.length);
  const { createHash } = await import('node:crypto');
  assert.equal(shim.build.wasmSha256, createHash('sha256').update(wasm).digest('hex'));
});
