// End-to-end tests of the example Worker (js-shim/example/worker.mjs) in Miniflare's
// workerd, against local D1 migrated and seeded the way wrangler would.
// Needs js-shim/dist/eventuall.wasm (scripts/build.sh).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { applyMigrations, applySeed, listMigrationFiles } from '../../js-shim/node/migrations.mjs';
import { loadEventuallModule } from '../../js-shim/node/load_module.mjs';
import { EventuallInstance } from '../../js-shim/eventuall.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WASM = join(ROOT, 'js-shim/dist/eventuall.wasm');
const SEEDED_ACCOUNT = 'seedaccounteventuall0001';
const SEEDED_OWNER = 'seedusereventuall0000001'; // owns SEEDED_ACCOUNT (migrations/seeds)
const MISSING_ID = 'zzzzzzzzzzzzzzzzzzzzzzzz';
const CUID2 = /^[a-z][0-9a-z]{23}$/;

let mf;

before(async () => {
  if (!existsSync(WASM)) throw new Error(`${WASM} is missing: run scripts/build.sh first`);
  mf = new Miniflare({
    rootPath: ROOT,
    scriptPath: 'js-shim/example/worker.mjs',
    modules: true,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    d1Databases: { DB: 'webapp', WORKERS_DB: 'workers' },
    compatibilityDate: '2026-04-01',
    cf: false, // no fetch of https://workers.cloudflare.com/cf.json
  });
  const webapp = await mf.getD1Database('DB');
  const workers = await mf.getD1Database('WORKERS_DB');
  for (const [db, dir] of [[webapp, 'migrations/webapp'], [workers, 'migrations/workers']]) {
    const files = await listMigrationFiles(join(ROOT, dir));
    assert.deepEqual(await applyMigrations(db, join(ROOT, dir)), files);
  }
  await applySeed(webapp, join(ROOT, 'migrations/seeds/account_user.sql'));
});

after(async () => {
  await mf?.dispose();
});

async function request(path, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['content-type'] ??= 'application/json';
  }
  const res = await mf.dispatchFetch(`http://localhost${path}`, init);
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    assert.fail(`${method} ${path}: response is not JSON: ${text}`);
  }
  return { status: res.status, headers: res.headers, body: json };
}

const post = (operation, body, headers) => request(`/v1/${operation}`, { method: 'POST', body, headers });

// Authorization headers of a new login session of userId.
async function sessionOf(userId) {
  const res = await post('create_session', { userId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { authorization: `Bearer ${res.body.value.token}` };
}

function assertError(res, status, code) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.ok, false);
  assert.equal(res.body.error.code, code);
  assert.equal(typeof res.body.error.message, 'string');
}

test('GET /health', async () => {
  const res = await request('/health');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.deepEqual(res.body, { ok: true, value: { status: 'ok', service: 'eventuall-data' } });
});

test('GET /v1/operations lists the operations the wasm exports', async () => {
  const res = await request('/v1/operations');
  assert.equal(res.status, 200);
  const expected = new EventuallInstance(loadEventuallModule(WASM)).operationNames();
  assert.deepEqual(res.body.value.operations, expected);
  for (const name of ['sign_up', 'get_user', 'create_event', 'get_event', 'list_account_events']) {
    assert.ok(res.body.value.operations.includes(name), name);
  }
});

test('sign up, then read the user by REST route and by operation', async () => {
  const up = await post('sign_up', { email: 'ada@example.com', name: 'Ada', pronouns: 'she/her' });
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.ok, true);
  const { user, account } = up.body.value;
  assert.match(user.id, CUID2);
  assert.match(account.id, CUID2);
  assert.equal(user.email, 'ada@example.com');
  assert.equal(user.pronouns, 'she/her');

  const byRoute = await request(`/v1/users/${user.id}`);
  assert.equal(byRoute.status, 200);
  assert.equal(byRoute.body.value.user.id, user.id);
  assert.equal(byRoute.body.value.user.name, 'Ada');

  const byOperation = await post('get_user', { id: user.id });
  assert.equal(byOperation.status, 200);
  assert.deepEqual(byOperation.body.value, byRoute.body.value);
});

test('a body sent like `curl -d` (form content type) is still read as JSON', async () => {
  const res = await post('sign_up', '{"email":"curl@example.com","name":"Curl"}', {
    'content-type': 'application/x-www-form-urlencoded',
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.value.user.email, 'curl@example.com');
});

test('duplicate email is 409 conflict', async () => {
  assert.equal((await post('sign_up', { email: 'dup@example.com', name: 'One' })).status, 200);
  assertError(await post('sign_up', { email: 'dup@example.com', name: 'Two' }), 409, 'conflict');
});

test('create an event on a seeded account, get it, list it', async () => {
  const owner = await sessionOf(SEEDED_OWNER);
  const created = await post(
    'create_event',
    {
      accountId: SEEDED_ACCOUNT,
      name: 'Launch night',
      description: 'First show',
      rooms: [{ name: 'Main stage' }, { name: 'Green room', capacity: 12 }],
    },
    owner,
  );
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const { event, rooms } = created.body.value;
  assert.match(event.id, CUID2);
  assert.equal(event.accountId, SEEDED_ACCOUNT);
  assert.equal(event.status, 'draft');
  assert.equal(event.createdByUserId, SEEDED_OWNER);
  assert.deepEqual(rooms.map((r) => r.name), ['Main stage', 'Green room']);

  const got = await request(`/v1/events/${event.id}`, { headers: owner });
  assert.equal(got.status, 200);
  assert.equal(got.body.value.event.id, event.id);
  assert.equal(got.body.value.event.name, 'Launch night');
  assert.deepEqual(got.body.value.rooms.map((r) => r.id), rooms.map((r) => r.id));
  // Trusted-caller form: the actor in the body, no Authorization.
  assert.deepEqual((await post('get_event', { id: event.id, actorUserId: SEEDED_OWNER })).body, got.body);

  const listed = await request(`/v1/accounts/${SEEDED_ACCOUNT}/events`, { headers: owner });
  assert.equal(listed.status, 200);
  assert.ok(listed.body.value.events.some((e) => e.id === event.id));
  assert.deepEqual(
    (await post('list_account_events', { accountId: SEEDED_ACCOUNT, actorUserId: SEEDED_OWNER })).body,
    listed.body,
  );

  const drafts = await request(`/v1/accounts/${SEEDED_ACCOUNT}/events?status=draft&limit=1`, { headers: owner });
  assert.equal(drafts.status, 200, JSON.stringify(drafts.body));
  assert.equal(drafts.body.value.events.length, 1);

  const other = await request('/v1/accounts/seedaccountmomentus00001/events', { headers: owner });
  assert.equal(other.status, 200);
  assert.ok(!other.body.value.events.some((e) => e.id === event.id));
});

test('pages of list_account_events follow nextCursor', async () => {
  const account = 'seedaccountsgblaise00001';
  const actorUserId = 'seedusersgblaise00000001';
  const owner = await sessionOf(actorUserId);
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const input = { accountId: account, actorUserId, name: `Show ${i}`, rooms: [{ name: 'Main' }] };
    const res = await post('create_event', input);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    ids.push(res.body.value.event.id);
  }
  const seen = [];
  let cursor = null;
  for (let page = 0; page < 5; page++) {
    const query = `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await request(`/v1/accounts/${account}/events?${query}`, { headers: owner });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.value.events.length <= 2);
    seen.push(...res.body.value.events.map((e) => e.id));
    cursor = res.body.value.nextCursor;
    if (!cursor) break;
  }
  assert.deepEqual([...seen].sort(), [...ids].sort());
});

test('malformed and non-object bodies are 400 invalid_input', async () => {
  assertError(await post('sign_up', '{"email": '), 400, 'invalid_input');
  assertError(await post('sign_up', 'not json at all'), 400, 'invalid_input');
  assertError(await post('sign_up', '[1,2]'), 400, 'invalid_input');
  assertError(await post('sign_up', '"text"'), 400, 'invalid_input');
  assertError(await post('sign_up', 'null'), 400, 'invalid_input');
  // Valid JSON, invalid input: the core's validation.
  assertError(await post('sign_up', { email: 'no-at-sign', name: 'X' }), 400, 'invalid_input');
  assertError(await post('sign_up', { email: 'a@b.c', name: 42 }), 400, 'invalid_input');
  assertError(await post('sign_up', ''), 400, 'invalid_input'); // empty body = {}: fields missing
  assertError(
    await post('create_event', { accountId: SEEDED_ACCOUNT, actorUserId: SEEDED_OWNER, name: 'x', rooms: 'nope' }),
    400,
    'invalid_input',
  );
  assertError(await request('/v1/users/not-an-id'), 400, 'invalid_input');
  const owner = await sessionOf(SEEDED_OWNER);
  assertError(
    await request(`/v1/accounts/${SEEDED_ACCOUNT}/events?limit=lots`, { headers: owner }),
    400,
    'invalid_input',
  );
});

test('bodies over 1 MiB are 413 invalid_input', async () => {
  const big = JSON.stringify({ email: 'big@example.com', name: 'x'.repeat((1 << 20) + 10) });
  assertError(await post('sign_up', big), 413, 'invalid_input');
});

test('unknown operations are 400 invalid_input', async () => {
  assertError(await post('drop_everything', {}), 400, 'invalid_input');
  assertError(await post('Sign-Up', {}), 400, 'invalid_input');
});

test('unknown ids are 404 not_found', async () => {
  assertError(await request(`/v1/users/${MISSING_ID}`), 404, 'not_found');
  const owner = await sessionOf(SEEDED_OWNER);
  assertError(await request(`/v1/events/${MISSING_ID}`, { headers: owner }), 404, 'not_found');
  assertError(await post('get_user', { id: MISSING_ID }), 404, 'not_found');
  assertError(
    await post('create_event', { accountId: MISSING_ID, name: 'Nowhere', rooms: [{ name: 'Main' }] }, owner),
    404,
    'not_found',
  );
});

test('the actor comes from Authorization: a session token or an API key', async () => {
  const owner = await sessionOf(SEEDED_OWNER);
  const created = await post('create_event', { accountId: SEEDED_ACCOUNT, name: 'Private', rooms: [{ name: 'Main' }] }, owner);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const eventId = created.body.value.event.id;

  // Routes that need an actor refuse anonymous requests and bad credentials.
  assertError(await request(`/v1/events/${eventId}`), 401, 'unauthenticated');
  assertError(await request(`/v1/accounts/${SEEDED_ACCOUNT}/events`), 401, 'unauthenticated');
  const badToken = { authorization: `Bearer ${'A'.repeat(43)}` };
  assertError(await request(`/v1/events/${eventId}`, { headers: badToken }), 401, 'unauthenticated');
  assertError(await request(`/v1/events/${eventId}`, { headers: { authorization: 'Bearer x' } }), 401, 'unauthenticated');
  assertError(await request(`/v1/events/${eventId}`, { headers: { authorization: 'Basic abc' } }), 401, 'unauthenticated');
  assertError(await post('create_event', { accountId: SEEDED_ACCOUNT, name: 'x', rooms: [] }, badToken), 401, 'unauthenticated');

  // An MCP API key works as a bearer credential too.
  const key = await post('create_api_key', { userId: SEEDED_OWNER, name: 'test', scopes: ['events:read'] });
  assert.equal(key.status, 200, JSON.stringify(key.body));
  const byKey = await request(`/v1/events/${eventId}`, { headers: { authorization: `Bearer ${key.body.value.key}` } });
  assert.equal(byKey.status, 200, JSON.stringify(byKey.body));
  assertError(
    await request(`/v1/events/${eventId}`, { headers: { authorization: `Bearer evk_${'A'.repeat(43)}` } }),
    401,
    'unauthenticated',
  );

  // Someone else: the event is invisible, and claiming the owner in the body does not help
  // (the authenticated user replaces any actorUserId).
  const up = await post('sign_up', { email: 'stranger@example.com', name: 'Stranger' });
  const stranger = await sessionOf(up.body.value.user.id);
  assertError(await request(`/v1/events/${eventId}`, { headers: stranger }), 404, 'not_found');
  assertError(await post('get_event', { id: eventId, actorUserId: SEEDED_OWNER }, stranger), 404, 'not_found');
  const theirList = await request(`/v1/accounts/${SEEDED_ACCOUNT}/events`, { headers: stranger });
  assert.equal(theirList.status, 200);
  assert.deepEqual(theirList.body.value.events, []);
});

test('unknown routes are 404, wrong methods 405', async () => {
  assertError(await request('/'), 404, 'not_found');
  assertError(await request('/v2/sign_up', { method: 'POST', body: {} }), 404, 'not_found');
  assertError(await request('/v1/users/a/b'), 404, 'not_found');
  assertError(await request('/v1/%E0%A4%A'), 404, 'not_found'); // undecodable segment

  const getOp = await request('/v1/sign_up');
  assertError(getOp, 405, 'invalid_input');
  assert.equal(getOp.headers.get('allow'), 'POST');
  assert.equal((await request('/v1/users/x', { method: 'DELETE' })).status, 405);
  assert.equal((await request('/health', { method: 'POST', body: {} })).status, 405);
  assert.equal((await post('operations', {})).status, 405); // the listing route, GET only
});

test('D1 bookmark round trip through x-d1-bookmark', async () => {
  // No header: a "first-unconstrained" session; the response carries its bookmark.
  const up = await post('sign_up', { email: 'bookmark@example.com', name: 'Book Mark' });
  assert.equal(up.status, 200);
  const afterWrite = up.headers.get('x-d1-bookmark');
  assert.ok(afterWrite, 'a bookmark after the write');

  // Hand it back: the read sees the write, and a bookmark comes back again, no older.
  const read = await request(`/v1/users/${up.body.value.user.id}`, { headers: { 'x-d1-bookmark': afterWrite } });
  assert.equal(read.status, 200);
  const afterRead = read.headers.get('x-d1-bookmark');
  assert.ok(afterRead);
  assert.ok(afterRead >= afterWrite, `${afterRead} >= ${afterWrite}`);

  // Error outcomes still carry the bookmark.
  const missing = await request(`/v1/users/${MISSING_ID}`, { headers: { 'x-d1-bookmark': afterRead } });
  assert.equal(missing.status, 404);
  assert.ok(missing.headers.get('x-d1-bookmark'));

  // The named session starts are accepted too.
  for (const start of ['first-primary', 'first-unconstrained']) {
    const res = await request(`/v1/users/${up.body.value.user.id}`, { headers: { 'x-d1-bookmark': start } });
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('x-d1-bookmark'));
  }

  assertError(
    await request(`/v1/users/${MISSING_ID}`, { headers: { 'x-d1-bookmark': 'not a bookmark; DROP' } }),
    400,
    'invalid_input',
  );
});

test('concurrent requests in one isolate all complete', async () => {
  const results = await Promise.all(
    Array.from({ length: 25 }, (_, i) => post('sign_up', { email: `many${i}@example.com`, name: `Many ${i}` })),
  );
  for (const res of results) assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(new Set(results.map((r) => r.body.value.user.id)).size, 25);

  const reads = await Promise.all(results.map((r) => request(`/v1/users/${r.body.value.user.id}`)));
  reads.forEach((res, i) => assert.equal(res.body.value.user.email, `many${i}@example.com`));
});
