// The example Worker's public sign-up and email verification (issue 14, items 7
// and 8) in Miniflare's workerd over local D1, with the Workers Rate Limiting
// bindings and a KV outbox standing in for the mailer
// (js-shim/example/verification.mjs):
//   - an anonymous caller gets the same answer for a new, an unverified and a
//     verified email, and never the token;
//   - an anonymous sign_up of someone else's email claims nothing; the owner
//     still signs up, verifies from their mailbox and claims;
//   - the 1,151-probes-in-3-s attack of issue 14 is throttled, per client and
//     per email.
// Needs js-shim/dist/eventuall.wasm (scripts/build.sh).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startExampleWorker } from './support.mjs';

const SEEDED_ACCOUNT = 'seedaccounteventuall0001';
const SEEDED_OWNER = 'seedusereventuall0000001';
const ADMIN = { 'x-eventuall-admin-token': 'test-admin' };
const ORGANIZER = 'roleorganizer00000000000';
// The limits wrangler.toml declares, read from it (one declaration).
function declaredLimit(name) {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const block = new RegExp(`name = "${name}"\\s+namespace_id = "\\d+"\\s+simple = \\{ limit = (\\d+), period = (\\d+) \\}`).exec(toml);
  assert.ok(block, `wrangler.toml declares ${name}`);
  return { limit: Number(block[1]), period: Number(block[2]) };
}
const CLIENT = declaredLimit('AUTH_CLIENT_LIMITER');
const EMAIL = declaredLimit('AUTH_EMAIL_LIMITER');
const CLIENT_LIMIT = CLIENT.limit;
const EMAIL_LIMIT = EMAIL.limit;
const SENT = { ok: true, value: { status: 'verification_sent' } };

let mf;
let webapp;
let outbox;

before(async () => {
  ({ mf, webapp } = await startExampleWorker({
    kvNamespaces: ['VERIFICATION_OUTBOX'],
    ratelimits: {
      AUTH_CLIENT_LIMITER: { simple: CLIENT },
      AUTH_EMAIL_LIMITER: { simple: EMAIL },
    },
    bindings: { ADMIN_TOKEN: 'test-admin' },
  }));
  outbox = await mf.getKVNamespace('VERIFICATION_OUTBOX');
});

after(async () => {
  await mf?.dispose();
});

// Every call comes from its own client unless `client` is given, so only the
// tests about limits meet them.
let clients = 0;
async function post(operation, body, { client = `198.51.100.${++clients % 250}-${clients}`, headers = {} } = {}) {
  const res = await mf.dispatchFetch(`http://localhost/v1/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': client, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function mailFor(email) {
  const text = await outbox.get(`outbox:${email}`);
  assert.ok(text, `a mail to ${email}`);
  await outbox.delete(`outbox:${email}`);
  return JSON.parse(text);
}

async function sessionOf(userId) {
  const res = await post('create_session', { userId }, { headers: ADMIN });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { authorization: `Bearer ${res.body.value.token}` };
}

test('public sign_up answers the same for a new, an unverified and a verified email', async () => {
  const email = 'same-answer@example.com';
  const asNew = await post('sign_up', { email, name: 'First' });
  const firstMail = await mailFor(email);
  assert.equal(firstMail.kind, 'verify_email');
  assert.match(firstMail.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(JSON.stringify(asNew.body).includes(firstMail.token), false);

  const asUnverified = await post('sign_up', { email: 'Same-Answer@example.com', name: 'Second' });
  const secondMail = await mailFor(email);
  assert.notEqual(secondMail.token, firstMail.token);

  const verified = await post('verify_email', { token: secondMail.token });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  assert.equal(verified.body.value.user.name, 'Second');
  assert.notEqual(verified.body.value.user.emailVerifiedAt, null);

  const asVerified = await post('sign_up', { email, name: 'Third' });
  assert.equal((await mailFor(email)).kind, 'already_registered');

  for (const res of [asNew, asUnverified, asVerified]) {
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, SENT);
    assert.deepEqual([...res.headers.keys()].filter((h) => h !== 'x-d1-bookmark').sort(),
      [...asNew.headers.keys()].filter((h) => h !== 'x-d1-bookmark').sort());
  }
  // Malformed input says so, as before, and says nothing about any email.
  const bad = await post('sign_up', { email: 'not-an-email', name: 'X' });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_input');
  // A used or unknown token is 401 either way.
  assert.equal((await post('verify_email', { token: secondMail.token })).status, 401);
  assert.equal((await post('verify_email', { token: 'A'.repeat(43) })).status, 401);
});

test('issue 14: an anonymous sign_up of the victim\'s email claims nothing; the victim verifies and claims', async () => {
  const owner = await sessionOf(SEEDED_OWNER);
  const created = await post('create_event', { accountId: SEEDED_ACCOUNT, name: 'Board meeting', rooms: [] }, { headers: owner });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const eventId = created.body.value.event.id;
  const invited = await post('invite', { email: 'cfo@victim.example', eventId, roleId: ORGANIZER }, { headers: owner });
  assert.equal(invited.status, 200, JSON.stringify(invited.body));

  // The attacker learns nothing and gets nothing: no id, no token, no grant.
  const attack = await post('sign_up', { email: 'cfo@victim.example', name: 'Not The CFO' });
  assert.deepEqual(attack.body, SENT);
  const attackerMail = await mailFor('cfo@victim.example'); // lands in the victim's mailbox
  const { results: grants } = await webapp.prepare('SELECT count(*) AS n FROM access_grants WHERE event_id = ?').bind(eventId).all();
  assert.equal(grants[0].n, 0);
  const { results: pending } = await webapp
    .prepare("SELECT status FROM invitations WHERE event_id = ?").bind(eventId).all();
  assert.deepEqual(pending.map((r) => r.status), ['pending']);

  // The victim: not locked out.
  const own = await post('sign_up', { email: 'cfo@victim.example', name: 'The CFO' });
  assert.deepEqual(own.body, SENT);
  const victimMail = await mailFor('cfo@victim.example');
  const verified = await post('verify_email', { token: victimMail.token });
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  assert.equal(verified.body.value.claimedGrants, 1);
  assert.equal(verified.body.value.user.name, 'The CFO');
  const can = await post('can', { userId: verified.body.value.user.id, eventId, permission: 'event.manage' }, { headers: ADMIN });
  assert.equal(can.body.value.allowed, true);
  // The attacker's token, had they seen it, changes nothing now.
  const late = await post('verify_email', { token: attackerMail.token });
  assert.equal(late.body.value.user.name, 'The CFO');
  assert.equal(late.body.value.claimedGrants, 0);
});

test('the 1,151-probes-in-3-s attack is throttled per client and per email', async (t) => {
  // One client probing 1,151 addresses at once (issue 14 measured 1,151 in 3 s).
  const probes = await Promise.all(
    Array.from({ length: 1151 }, (_, i) => post('sign_up', { email: `probe${i}@example.com`, name: 'P' }, { client: '203.0.113.7' })),
  );
  const answered = probes.filter((r) => r.status === 200);
  const throttled = probes.filter((r) => r.status === 429);
  assert.equal(answered.length + throttled.length, 1151);
  // At most one window's budget, or two if the probes straddle a window boundary.
  assert.ok(answered.length >= 1 && answered.length <= 2 * CLIENT_LIMIT, `${answered.length} answered`);
  for (const r of throttled) {
    assert.equal(r.body.error.code, 'rate_limited');
    assert.equal(r.headers.get('retry-after'), '60');
  }
  // A throttled request writes nothing.
  const { results } = await webapp.prepare("SELECT count(*) AS n FROM users WHERE email LIKE 'probe%'").all();
  assert.equal(results[0].n, answered.length);
  // Another client is still served.
  assert.deepEqual((await post('sign_up', { email: 'bystander@example.com', name: 'B' })).body, SENT);

  // Many clients, one address (probing it, or flooding its mailbox).
  const flood = await Promise.all(
    Array.from({ length: 60 }, (_, i) => post('sign_up', { email: 'target@example.com', name: 'T' }, { client: `192.0.2.${i}` })),
  );
  const reached = flood.filter((r) => r.status === 200).length;
  assert.ok(reached >= 1 && reached <= 2 * EMAIL_LIMIT, `${reached} answered`);
  assert.equal(flood.filter((r) => r.status === 429).length, 60 - reached);

  // Guessing verification tokens from one client.
  const guesses = await Promise.all(
    Array.from({ length: 200 }, (_, i) => post('verify_email', { token: `${String(i).padStart(3, '0')}${'A'.repeat(40)}` }, { client: '203.0.113.9' })),
  );
  const tried = guesses.filter((r) => r.status === 401).length;
  assert.ok(tried >= 1 && tried <= 2 * CLIENT_LIMIT, `${tried} reached the core`);
  assert.equal(guesses.filter((r) => r.status === 429).length, 200 - tried);
  t.diagnostic(`sign_up probes answered: ${answered.length}/1151 (one client), ${reached}/60 (one email); verify_email guesses reaching the core: ${tried}/200`);
});

test('the admin caller is not limited and gets the token itself', async () => {
  for (let i = 0; i < CLIENT_LIMIT + 5; ++i) {
    const res = await post('sign_up', { email: `backend${i}@example.com`, name: 'B' }, { client: '203.0.113.50', headers: ADMIN });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.body.value.verification.token, /^[A-Za-z0-9_-]{43}$/);
  }
  assert.equal(await outbox.get('outbox:backend0@example.com'), null); // the backend mails it
});
