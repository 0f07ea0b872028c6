// D1 round trips per route of the example Worker, in Miniflare's workerd over
// local D1 (issue 19, target 1: one per request). The Worker runs behind
// tests/js/workers/counting_example_worker.mjs, which counts every batch() and
// every statement run alone on DB and WORKERS_DB. Also: the credential guard
// writes nothing for a bad credential, and the schema guard answers
// schema_mismatch for a database behind or ahead, in workerd.
// Needs js-shim/dist/eventuall.wasm (scripts/build.sh).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startExampleWorker } from './support.mjs';

const SEEDED_ACCOUNT = 'seedaccounteventuall0001';
const SEEDED_OWNER = 'seedusereventuall0000001';
const OTHER_USER = 'seedusermomentus00000001';
const ORGANIZER_ROLE = 'roleorganizer00000000000';
const ADMIN_TOKEN = 'test-admin';
const ADMIN = { 'x-eventuall-admin-token': ADMIN_TOKEN };

// The example Worker behind the counting wrapper, migrated and seeded.
const started = () =>
  startExampleWorker({ scriptPath: 'tests/js/workers/counting_example_worker.mjs', bindings: { ADMIN_TOKEN } });

let world;
before(async () => {
  world = await started();
});
after(async () => {
  await world?.mf.dispose();
});

async function send(mf, path, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await mf.dispatchFetch(`http://localhost${path}`, init);
  return { status: res.status, body: await res.json() };
}

async function trips(mf) {
  const res = await mf.dispatchFetch('http://localhost/__round_trips');
  const counts = await res.json();
  return counts.webapp + counts.workers;
}

// The response and the D1 round trips the request took.
async function counted(mf, path, init) {
  const before = await trips(mf);
  const res = await send(mf, path, init);
  return { ...res, trips: (await trips(mf)) - before };
}

const post = (mf, op, body, headers) => counted(mf, `/v1/${op}`, { method: 'POST', body, headers });
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

async function sessionOf(mf, userId) {
  const res = await post(mf, 'create_session', { userId }, ADMIN);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.value.token;
}

async function keyOf(mf, userId, scopes) {
  const res = await post(mf, 'create_api_key', { userId, name: 'k', scopes }, ADMIN);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.value.key;
}

const bearer = (secret) => ({ authorization: `Bearer ${secret}` });

test('every authenticated route takes exactly one D1 round trip', async () => {
  const { mf } = world;
  const token = await sessionOf(mf, SEEDED_OWNER);
  assert.match(token, /^evs_[A-Za-z0-9_-]{43}\.seedusereventuall0000001$/);
  const owner = bearer(token);
  const created = await post(mf, 'create_event', { accountId: SEEDED_ACCOUNT, name: 'Trips', rooms: [{ name: 'Main' }] }, owner);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal(created.trips, 1, 'POST /v1/create_event');
  const eventId = created.body.value.event.id;
  const key = await keyOf(mf, SEEDED_OWNER, ['events:read', 'access:read', 'keys:read', 'profile:read']);

  const routes = [
    ['GET', `/v1/users/${SEEDED_OWNER}`, undefined, owner],
    ['GET', `/v1/events/${eventId}`, undefined, owner],
    ['GET', `/v1/accounts/${SEEDED_ACCOUNT}/events`, undefined, owner],
    ['GET', `/v1/events/${eventId}`, undefined, bearer(key)],
    ['GET', `/v1/users/${SEEDED_OWNER}`, undefined, bearer(key)],
    ['POST', '/v1/get_event', { id: eventId }, owner],
    ['POST', '/v1/rename_account', { accountId: SEEDED_ACCOUNT, name: 'Renamed' }, owner],
    ['POST', '/v1/list_user_accounts', {}, owner],
    ['POST', '/v1/list_roles', { accountId: SEEDED_ACCOUNT }, owner],
    ['POST', '/v1/effective_permissions', { eventId }, owner],
    ['POST', '/v1/list_tickets', { eventId }, owner],
    ['POST', '/v1/list_retailer_connections', { accountId: SEEDED_ACCOUNT }, owner],
    // Refused by the operation itself (bad input, before any batch): the
    // credential is then checked on its own, still one round trip.
    ['POST', '/v1/get_event', { id: 'not an id' }, owner],
    ['POST', '/v1/can', { eventId, permission: 'event.view' }, owner],
    ['POST', '/v1/can', { eventId, permission: 'event.view' }, bearer(key)],
    ['POST', '/v1/list_participants', { eventId }, owner],
    ['POST', '/v1/list_participants', { eventId }, bearer(key)],
    ['POST', '/v1/grant_access', { userId: OTHER_USER, eventId, roleId: ORGANIZER_ROLE }, owner],
    ['POST', '/v1/list_api_keys', {}, owner],
    ['POST', '/v1/list_api_keys', {}, bearer(key)],
    ['POST', '/v1/create_api_key', { name: 'mine', scopes: ['events:read'] }, owner],
    ['POST', '/v1/list_account_events', { accountId: SEEDED_ACCOUNT }, owner],
  ];
  const table = [];
  for (const [method, path, body, headers] of routes) {
    const res = await counted(mf, path, { method, body, headers });
    const who = headers === owner ? 'session' : 'API key';
    table.push({ route: `${method} ${path.replace(eventId, ':event')}`, who, status: res.status, trips: res.trips });
    assert.ok(res.status < 500, `${method} ${path}: ${JSON.stringify(res.body)}`);
  }
  const notOne = table.filter((r) => r.trips !== 1);
  assert.deepEqual(notOne, [], JSON.stringify(table, null, 1));

  // The recording reads check the event's permission on the webapp database,
  // then read the workers database: no batch spans both, so two round trips.
  const recordings = await post(mf, 'list_recordings', { eventId }, owner);
  assert.equal(recordings.status, 200, JSON.stringify(recordings.body));
  assert.equal(recordings.trips, 2);
});

test('public routes: anonymous sign up and the admin backend take one round trip; /health none', async () => {
  const { mf } = world;
  assert.equal((await counted(mf, '/health')).trips, 0);
  assert.equal((await counted(mf, '/v1/operations')).trips, 0);
  const up = await post(mf, 'sign_up', { email: 'trips@example.com', name: 'Trips' });
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.trips, 1, 'anonymous sign_up');
  const admin = await post(mf, 'get_user', { id: SEEDED_OWNER }, ADMIN);
  assert.equal(admin.trips, 1, 'admin get_user');
});

test('a bad credential is refused and writes nothing, in workerd', async () => {
  const { mf, webapp } = world;
  const live = await sessionOf(mf, SEEDED_OWNER);
  const expired = await sessionOf(mf, SEEDED_OWNER);
  const revoked = await sessionOf(mf, SEEDED_OWNER);
  const revokedKey = await keyOf(mf, SEEDED_OWNER, ['events:write']);
  const narrowKey = await keyOf(mf, SEEDED_OWNER, ['events:read']);
  await webapp.prepare('UPDATE sessions SET expires_at = 1 WHERE token_hash = ?').bind(sha256(expired)).run();
  await webapp.prepare('UPDATE sessions SET revoked_at = 1 WHERE token_hash = ?').bind(sha256(revoked)).run();
  await webapp.prepare('UPDATE mcp_api_keys SET revoked_at = 1 WHERE key_hash = ?').bind(sha256(revokedKey)).run();
  const tampered = live.slice(0, -24) + OTHER_USER;
  const state = async () =>
    JSON.stringify([
      (await webapp.prepare("SELECT count(*) AS n FROM events WHERE name = 'Never'").first('n')),
      (await webapp.prepare('SELECT id AS id, last_seen_at AS s FROM sessions ORDER BY id').all()).results,
      (await webapp.prepare('SELECT id AS id, last_used_at AS u FROM mcp_api_keys ORDER BY id').all()).results,
    ]);
  for (const [secret, status, code] of [
    [expired, 401, 'unauthenticated'],
    [revoked, 401, 'unauthenticated'],
    [revokedKey, 401, 'unauthenticated'],
    [narrowKey, 403, 'forbidden'],
    [tampered, 401, 'unauthenticated'],
  ]) {
    const before = await state();
    const res = await post(mf, 'create_event', { accountId: SEEDED_ACCOUNT, name: 'Never', rooms: [{ name: 'Main' }] }, bearer(secret));
    assert.equal(res.status, status, `${secret}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, code);
    assert.equal(res.trips, 2, 'the guarded batch, then the check naming the refusal');
    assert.equal(await state(), before, secret);
  }
});

test('schema guard in workerd: behind and ahead answer schema_mismatch (503) naming the migrations, then one trip and no guard', async () => {
  const fresh = await started();
  try {
    const { mf, webapp } = fresh;
    const body = { accountId: SEEDED_ACCOUNT, actorUserId: SEEDED_OWNER, name: 'Guarded', rooms: [{ name: 'Main' }] };
    const events = async () => webapp.prepare("SELECT count(*) AS n FROM events WHERE name = 'Guarded'").first('n');
    await webapp.prepare("DELETE FROM d1_migrations WHERE name = '0004_retailer_connections.sql'").run();
    const behind = await post(mf, 'create_event', body, ADMIN);
    assert.equal(behind.status, 503, JSON.stringify(behind.body));
    assert.equal(behind.body.error.code, 'schema_mismatch');
    assert.match(behind.body.error.message, /missing 0004_retailer_connections\.sql/);
    assert.equal(behind.trips, 2, 'the guarded batch, then the read naming the difference');
    await webapp.prepare("INSERT INTO d1_migrations (name) VALUES ('0004_retailer_connections.sql'), ('0005_later.sql')").run();
    const ahead = await post(mf, 'create_event', body, ADMIN);
    assert.equal(ahead.body.error?.code, 'schema_mismatch');
    assert.match(ahead.body.error.message, /unknown 0005_later\.sql/);
    assert.equal(await events(), 0);
    await webapp.prepare("DELETE FROM d1_migrations WHERE name = '0005_later.sql'").run();
    const guards = async () => (await (await mf.dispatchFetch('http://localhost/__round_trips')).json()).guards;
    for (let i = 0; i < 3; i++) {
      const before = await guards();
      const ok = await post(mf, 'create_event', body, ADMIN);
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.trips, 1);
      // The first success carries the guard (webapp); after it, none does.
      assert.equal((await guards()) - before, i === 0 ? 1 : 0, `request ${i}`);
    }
    assert.equal(await events(), 3);
  } finally {
    await fresh.mf.dispose();
  }
});
