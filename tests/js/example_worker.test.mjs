// End-to-end tests of the example Worker (js-shim/example/worker.mjs) in Miniflare's
// workerd, against local D1 migrated and seeded the way wrangler would.
// Needs js-shim/dist/eventuall.wasm (scripts/build.sh).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Miniflare } from 'miniflare';
import { loadEventuallModule } from '../../js-shim/node/load_module.mjs';
import { EventuallInstance } from '../../js-shim/eventuall.mjs';
import { EXAMPLE_WASM as WASM, exampleWorkerOptions, startExampleWorker } from './support.mjs';

const SEEDED_ACCOUNT = 'seedaccounteventuall0001';
const SEEDED_OWNER = 'seedusereventuall0000001'; // owns SEEDED_ACCOUNT (migrations/seeds)
const MISSING_ID = 'zzzzzzzzzzzzzzzzzzzzzzzz';
const CUID2 = /^[a-z][0-9a-z]{23}$/;
const ADMIN_TOKEN = 'test-admin';
const ADMIN = { 'x-eventuall-admin-token': ADMIN_TOKEN }; // the trusted-caller header

let mf;

before(async () => {
  // No PARTICIPANTS_CACHE binding: the Worker runs without the cache here
  // (tests/js/participants_cache.test.mjs runs it with one).
  ({ mf } = await startExampleWorker({ bindings: { ADMIN_TOKEN } }));
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

// Authorization headers of a new login session of userId, created the way a
// backend does after verifying the user: as the admin caller.
async function sessionOf(userId) {
  const res = await post('create_session', { userId }, ADMIN);
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

test('sign up (as the trusted backend), then read the user by REST route and by operation', async () => {
  const up = await post('sign_up', { email: 'ada@example.com', name: 'Ada', pronouns: 'she/her' }, ADMIN);
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.ok, true);
  const { user, account, verification } = up.body.value;
  assert.equal(typeof verification.token, 'string'); // the backend mails it
  assert.match(user.id, CUID2);
  assert.match(account.id, CUID2);
  assert.equal(user.email, 'ada@example.com');
  assert.equal(user.pronouns, 'she/her');

  const self = await sessionOf(user.id);
  const byRoute = await request(`/v1/users/${user.id}`, { headers: self });
  assert.equal(byRoute.status, 200);
  assert.equal(byRoute.body.value.user.id, user.id);
  assert.equal(byRoute.body.value.user.name, 'Ada');

  const byOperation = await post('get_user', { id: user.id }, ADMIN);
  assert.equal(byOperation.status, 200);
  assert.deepEqual(byOperation.body.value, byRoute.body.value);
});

test('a body sent like `curl -d` (form content type) is still read as JSON', async () => {
  const res = await post('sign_up', '{"email":"curl@example.com","name":"Curl"}', {
    'content-type': 'application/x-www-form-urlencoded',
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.value, { status: 'verification_sent' });
});

test('a verified email is 409 conflict for the backend, the uniform answer for anyone else', async () => {
  const first = await post('sign_up', { email: 'dup@example.com', name: 'One' }, ADMIN);
  assert.equal(first.status, 200);
  // Unverified, the address is not reserved: the backend gets a new token for the same row.
  const again = await post('sign_up', { email: 'dup@example.com', name: 'One' }, ADMIN);
  assert.equal(again.body.value.created, false);
  assert.equal(again.body.value.user.id, first.body.value.user.id);
  const verified = await post('verify_email', { token: first.body.value.verification.token });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  assertError(await post('sign_up', { email: 'dup@example.com', name: 'Two' }, ADMIN), 409, 'conflict');
  const anonymous = await post('sign_up', { email: 'dup@example.com', name: 'Two' });
  assert.equal(anonymous.status, 200);
  assert.deepEqual(anonymous.body.value, { status: 'verification_sent' });
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
  // Trusted-caller form: the admin header, the actor in the body.
  assert.deepEqual((await post('get_event', { id: event.id, actorUserId: SEEDED_OWNER }, ADMIN)).body, got.body);

  const listed = await request(`/v1/accounts/${SEEDED_ACCOUNT}/events`, { headers: owner });
  assert.equal(listed.status, 200);
  assert.ok(listed.body.value.events.some((e) => e.id === event.id));
  assert.deepEqual(
    (await post('list_account_events', { accountId: SEEDED_ACCOUNT, actorUserId: SEEDED_OWNER }, ADMIN)).body,
    listed.body,
  );

  const drafts = await request(`/v1/accounts/${SEEDED_ACCOUNT}/events?status=draft&limit=1`, { headers: owner });
  assert.equal(drafts.status, 200, JSON.stringify(drafts.body));
  assert.equal(drafts.body.value.events.length, 1);

  // Another tenant's account reads like a missing one.
  const other = await request('/v1/accounts/seedaccountmomentus00001/events', { headers: owner });
  assert.equal(other.status, 404, JSON.stringify(other.body));
});

test('pages of list_account_events follow nextCursor', async () => {
  const account = 'seedaccountsgblaise00001';
  const actorUserId = 'seedusersgblaise00000001';
  const owner = await sessionOf(actorUserId);
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const input = { accountId: account, actorUserId, name: `Show ${i}`, rooms: [{ name: 'Main' }] };
    const res = await post('create_event', input, ADMIN);
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
    await post('create_event', { accountId: SEEDED_ACCOUNT, actorUserId: SEEDED_OWNER, name: 'x', rooms: 'nope' }, ADMIN),
    400,
    'invalid_input',
  );
  assertError(await request('/v1/users/not-an-id', { headers: ADMIN }), 400, 'invalid_input');
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

// Regression (issue 14): the limit counted UTF-16 units, so 1 MiB of CJK text
// (a third as many units) passed when sent without content-length.
test('a streamed body over 1 MiB of UTF-8 is 413, whatever its UTF-16 length', async () => {
  const text = JSON.stringify({ email: 'cjk@example.com', name: '名'.repeat(400_000) }); // 1.2 MB, 0.4 M units
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const res = await mf.dispatchFetch('http://localhost/v1/sign_up', { method: 'POST', body, duplex: 'half', headers: ADMIN });
  assert.equal(res.status, 413, await res.text());
});

test('unknown operations are 400 invalid_input', async () => {
  assertError(await post('drop_everything', {}), 400, 'invalid_input');
  assertError(await post('Sign-Up', {}), 400, 'invalid_input');
});

test('unknown ids are 404 not_found', async () => {
  assertError(await request(`/v1/users/${MISSING_ID}`, { headers: ADMIN }), 404, 'not_found');
  const owner = await sessionOf(SEEDED_OWNER);
  assertError(await request(`/v1/events/${MISSING_ID}`, { headers: owner }), 404, 'not_found');
  assertError(await post('get_user', { id: MISSING_ID }, ADMIN), 404, 'not_found');
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
  const key = await post('create_api_key', { userId: SEEDED_OWNER, name: 'test', scopes: ['events:read'] }, owner);
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
  const up = await post('sign_up', { email: 'stranger@example.com', name: 'Stranger' }, ADMIN);
  const stranger = await sessionOf(up.body.value.user.id);
  assertError(await request(`/v1/events/${eventId}`, { headers: stranger }), 404, 'not_found');
  assertError(await post('get_event', { id: eventId, actorUserId: SEEDED_OWNER }, stranger), 404, 'not_found');
  // An account they see nothing of reads like a missing one.
  assertError(await request(`/v1/accounts/${SEEDED_ACCOUNT}/events`, { headers: stranger }), 404, 'not_found');
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
  const up = await post('sign_up', { email: 'bookmark@example.com', name: 'Book Mark' }, ADMIN);
  assert.equal(up.status, 200);
  const afterWrite = up.headers.get('x-d1-bookmark');
  assert.ok(afterWrite, 'a bookmark after the write');

  // Hand it back: the read sees the write, and a bookmark comes back again, no older.
  const read = await request(`/v1/users/${up.body.value.user.id}`, { headers: { ...ADMIN, 'x-d1-bookmark': afterWrite } });
  assert.equal(read.status, 200);
  const afterRead = read.headers.get('x-d1-bookmark');
  assert.ok(afterRead);
  assert.ok(afterRead >= afterWrite, `${afterRead} >= ${afterWrite}`);

  // Error outcomes still carry the bookmark.
  const missing = await request(`/v1/users/${MISSING_ID}`, { headers: { ...ADMIN, 'x-d1-bookmark': afterRead } });
  assert.equal(missing.status, 404);
  assert.ok(missing.headers.get('x-d1-bookmark'));

  // The named session starts are accepted too.
  for (const start of ['first-primary', 'first-unconstrained']) {
    const res = await request(`/v1/users/${up.body.value.user.id}`, { headers: { ...ADMIN, 'x-d1-bookmark': start } });
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('x-d1-bookmark'));
  }

  assertError(
    await request(`/v1/users/${MISSING_ID}`, { headers: { ...ADMIN, 'x-d1-bookmark': 'not a bookmark; DROP' } }),
    400,
    'invalid_input',
  );
});

test('concurrent requests in one isolate all complete', async () => {
  const results = await Promise.all(
    Array.from({ length: 25 }, (_, i) => post('sign_up', { email: `many${i}@example.com`, name: `Many ${i}` }, ADMIN)),
  );
  for (const res of results) assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(new Set(results.map((r) => r.body.value.user.id)).size, 25);

  const reads = await Promise.all(results.map((r) => request(`/v1/users/${r.body.value.user.id}`, { headers: ADMIN })));
  reads.forEach((res, i) => assert.equal(res.body.value.user.email, `many${i}@example.com`));
});

// --- who may call what (the POLICY table of the Worker) ------------------------

// A new user and the Authorization headers of a session of theirs.
async function newUser(email) {
  const up = await post('sign_up', { email, name: email.split('@')[0] }, ADMIN);
  assert.equal(up.status, 200, JSON.stringify(up.body));
  return { id: up.body.value.user.id, accountId: up.body.value.account.id, headers: await sessionOf(up.body.value.user.id) };
}

async function ownerEvent(name) {
  const created = await post('create_event', { accountId: SEEDED_ACCOUNT, name, rooms: [{ name: 'Main' }] }, await sessionOf(SEEDED_OWNER));
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return created.body.value.event.id;
}

test('anonymous callers reach only sign_up, verify_email, consume_login_token, /health and /v1/operations', async () => {
  const eventId = await ownerEvent('Anonymous probe');
  const refused = [
    ['create_event', { accountId: SEEDED_ACCOUNT, actorUserId: SEEDED_OWNER, name: 'x', rooms: [{ name: 'Main' }] }],
    ['create_session', { userId: SEEDED_OWNER }], // the old hole: a session for anyone
    ['create_api_key', { userId: SEEDED_OWNER, name: 'k', scopes: [] }],
    ['get_user', { id: SEEDED_OWNER }],
    ['grant_access', { actorUserId: SEEDED_OWNER, userId: SEEDED_OWNER, eventId, roleId: 'roleorganizer00000000000' }],
    ['list_participants', { actorUserId: SEEDED_OWNER, eventId }],
    ['define_permission', { name: 'anon.probe' }],
    ['sign_in_with_provider', { provider: 'google', providerAccountId: 'g-1', email: 'admin@eventuall.live' }],
    ['issue_email_verification', { userId: SEEDED_OWNER }], // its token would prove the email to the caller
  ];
  for (const [operation, body] of refused) {
    assertError(await post(operation, body), 401, 'unauthenticated');
  }
  assertError(await request(`/v1/users/${SEEDED_OWNER}`), 401, 'unauthenticated');

  // consume_login_token is public: the one-time token is the credential.
  const user = await newUser('login-token@example.com');
  const issued = await post('issue_login_token', {}, user.headers); // userId: the caller
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  const consumed = await post('consume_login_token', { token: issued.body.value.token });
  assert.equal(consumed.status, 200, JSON.stringify(consumed.body));
  assert.equal(consumed.body.value.user.id, user.id);
  assert.equal((await post('consume_login_token', { token: issued.body.value.token })).status, 401);
});

test('a Bearer caller is the actor: a forged actorUserId in the body is overridden', async () => {
  const eventId = await ownerEvent('Forgery target');
  const stranger = await newUser('forger@example.com');
  // Claiming to be the owner does not make the stranger one.
  const forged = await post(
    'create_event',
    { accountId: SEEDED_ACCOUNT, actorUserId: SEEDED_OWNER, name: 'Forged', rooms: [{ name: 'Main' }] },
    stranger.headers,
  );
  assert.ok([403, 404].includes(forged.status), JSON.stringify(forged.body));
  const grab = await post(
    'grant_access',
    { actorUserId: SEEDED_OWNER, userId: stranger.id, eventId, roleId: 'roleorganizer00000000000' },
    stranger.headers,
  );
  assertError(grab, 404, 'not_found'); // the stranger cannot even see the event

  // The other way round: the owner's request stays the owner's.
  const owner = await sessionOf(SEEDED_OWNER);
  const created = await post(
    'create_event',
    { accountId: SEEDED_ACCOUNT, actorUserId: stranger.id, name: 'Mine', rooms: [{ name: 'Main' }] },
    owner,
  );
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal(created.body.value.event.createdByUserId, SEEDED_OWNER);
});

test('self-service operations may only name the caller', async () => {
  const alice = await newUser('alice-self@example.com');
  const bob = await newUser('bob-self@example.com');
  const eventId = await ownerEvent('Self checks');

  // userId filled in with the caller, or equal to it: allowed.
  const session = await post('create_session', {}, alice.headers);
  assert.equal(session.status, 200, JSON.stringify(session.body));
  assert.equal(session.body.value.session.userId, alice.id);
  assert.equal((await post('list_api_keys', { userId: alice.id }, alice.headers)).status, 200);
  const accounts = await post('list_user_accounts', {}, alice.headers);
  assert.equal(accounts.status, 200, JSON.stringify(accounts.body));
  assert.deepEqual(accounts.body.value.accounts.map((a) => a.id), [alice.accountId]);
  assert.equal((await request(`/v1/users/${alice.id}`, { headers: alice.headers })).body.value.user.id, alice.id);
  const mine = await post('can', { eventId, permission: 'event.view' }, alice.headers);
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  assert.equal(mine.body.value.allowed, false);

  // Naming someone else: forbidden, and nothing happens to them.
  for (const [operation, body] of [
    ['create_session', { userId: bob.id }],
    ['create_api_key', { userId: bob.id, name: 'k', scopes: [] }],
    ['list_api_keys', { userId: bob.id }],
    ['revoke_user_sessions', { userId: bob.id }],
    ['issue_login_token', { userId: bob.id }],
    ['list_user_accounts', { userId: SEEDED_OWNER }],
    ['can', { userId: SEEDED_OWNER, eventId, permission: 'event.view' }],
    ['explain_permission', { userId: SEEDED_OWNER, eventId, permission: 'event.view' }],
    ['effective_permissions', { userId: SEEDED_OWNER, eventId }],
    ['revoke_session', { sessionId: session.body.value.session.id, userId: bob.id }],
    ['get_user', { id: bob.id }],
  ]) {
    assertError(await post(operation, body, alice.headers), 403, 'forbidden');
  }
  assertError(await request(`/v1/users/${bob.id}`, { headers: alice.headers }), 403, 'forbidden');
  assert.equal((await post('list_api_keys', {}, bob.headers)).status, 200); // bob's session still valid

  // revoke_session by token names no user: the token is the credential.
  const revoked = await post('revoke_session', { token: session.body.value.token }, alice.headers);
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
});

test('administrative operations are 403 for users and open to the admin caller', async () => {
  const owner = await sessionOf(SEEDED_OWNER);
  assertError(await post('define_permission', { name: 'user.probe' }, owner), 403, 'forbidden');
  // Without accountId an actor's role would be platform-wide: the core refuses the input.
  assertError(await post('define_role', { name: 'Platformish', permissions: ['event.view'] }, owner), 400, 'invalid_input');
  assertError(await post('sign_in_with_provider', { provider: 'google', providerAccountId: 'g-2', email: 'x@example.com' }, owner), 403, 'forbidden');
  assertError(await post('link_provider', { userId: SEEDED_OWNER, provider: 'google', providerAccountId: 'g-3' }, owner), 403, 'forbidden');
  // Platform roles cannot be changed by an account owner (the core refuses the actor).
  const platform = await post('add_role_permission', { roleId: 'roleattendee000000000000', permission: 'grant.manage' }, owner);
  assert.ok([403, 404].includes(platform.status), JSON.stringify(platform.body));

  // An account role is the owner's to define; another account's is not.
  const mine = await post('define_role', { name: 'Hosts', accountId: SEEDED_ACCOUNT, permissions: ['event.view'] }, owner);
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  assert.equal(mine.body.value.role.accountId, SEEDED_ACCOUNT);
  assertError(
    await post('define_role', { name: 'Hosts', accountId: 'seedaccountmomentus00001', permissions: [] }, owner),
    403,
    'forbidden',
  );

  // The admin caller passes the body as is.
  const defined = await post('define_permission', { name: 'admin.probe' }, ADMIN);
  assert.equal(defined.status, 200, JSON.stringify(defined.body));
  const platformRole = await post('define_role', { name: 'Platform probe', permissions: ['admin.probe'] }, ADMIN);
  assert.equal(platformRole.status, 200, JSON.stringify(platformRole.body));
  assert.equal(platformRole.body.value.role.accountId, null);
  const signedIn = await post('sign_in_with_provider', { provider: 'google', providerAccountId: 'g-admin', email: 'oauth@example.com' }, ADMIN);
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
});

test('the admin header: a wrong token is 401, and it does not mix with Authorization', async () => {
  const body = { accountId: SEEDED_ACCOUNT, actorUserId: SEEDED_OWNER, name: 'x', rooms: [{ name: 'Main' }] };
  // (Header values are trimmed by HTTP itself, so 'test-admin ' would be the right token.)
  for (const token of ['test-admiN', 'test-admin0', 'test', '', 'x'.repeat(300)]) {
    assertError(await post('create_event', body, { 'x-eventuall-admin-token': token }), 401, 'unauthenticated');
  }
  // Even on a public operation a bad credential is refused, not ignored.
  assertError(await post('sign_up', { email: 'wrongadmin@example.com', name: 'W' }, { 'x-eventuall-admin-token': 'nope' }), 401, 'unauthenticated');
  const owner = await sessionOf(SEEDED_OWNER);
  assertError(await post('create_event', body, { ...ADMIN, ...owner }), 400, 'invalid_input');
});

test('without ADMIN_TOKEN (unset or empty) admin access is disabled', async () => {
  for (const bindings of [{}, { ADMIN_TOKEN: '' }]) {
    const bare = new Miniflare(exampleWorkerOptions({ bindings }));
    try {
      for (const token of ['', 'test-admin', 'undefined']) {
        const res = await bare.dispatchFetch('http://localhost/v1/define_permission', {
          method: 'POST',
          headers: { 'x-eventuall-admin-token': token, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'disabled.probe' }),
        });
        const json = await res.json();
        assert.equal(res.status, 401, `${JSON.stringify(bindings)} ${JSON.stringify(token)}: ${JSON.stringify(json)}`);
        assert.equal(json.error.code, 'unauthenticated');
      }
    } finally {
      await bare.dispose();
    }
  }
});

test('list_participants without a PARTICIPANTS_CACHE binding: no cache, no x-cache header', async () => {
  const eventId = await ownerEvent('Uncached');
  const owner = await sessionOf(SEEDED_OWNER);
  const listed = await post('list_participants', { eventId }, owner);
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  assert.deepEqual(listed.body.value, { participants: [], nextOffset: null });
  assert.equal(listed.headers.get('x-cache'), null);
});
