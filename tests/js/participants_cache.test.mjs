// The participants cache (js-shim/example/participants_cache.mjs): unit tests
// over a fake KV with a fake clock, then end to end through the example Worker
// in Miniflare with a real (local) KV namespace bound as PARTICIPANTS_CACHE.
// The end-to-end part needs js-shim/dist/eventuall.wasm (scripts/build.sh).
import test, { after, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { shopifySignature } from '../../js-shim/example/webhooks.mjs';
import {
  ALL_EVENTS,
  DEFAULT_TTL_SECONDS,
  INVALIDATING_OPERATIONS,
  changedEvents,
  createParticipantsCache,
  pageKey,
} from '../../js-shim/example/participants_cache.mjs';
import { fixtureFiles, loadFixture, resolveReferences, sqlJsTarget, startExampleWorker } from './support.mjs';

// --- a fake KV: a Map, expirationTtl honoured against a fake clock ---------------

function fakeClock(start = 1_700_000_000_000) {
  const clock = { ms: start, now: () => clock.ms, advance: (seconds) => (clock.ms += seconds * 1000) };
  return clock;
}

function fakeKv(clock) {
  const entries = new Map();
  const kv = {
    entries,
    failing: false,
    reads: 0,
    async get(key, options) {
      if (kv.failing) throw new Error('KV down');
      kv.reads++;
      const entry = entries.get(key);
      if (!entry || (entry.expiresAt !== null && clock.now() >= entry.expiresAt)) return null;
      const type = typeof options === 'string' ? options : options?.type;
      return type === 'json' ? JSON.parse(entry.value) : entry.value;
    },
    async put(key, value, { expirationTtl } = {}) {
      if (kv.failing) throw new Error('KV down');
      if (typeof value !== 'string') throw new TypeError('fake KV stores strings');
      // As KV: an expirationTtl below 60 seconds is an error.
      if (expirationTtl !== undefined && !(expirationTtl >= 60)) throw new RangeError(`expirationTtl ${expirationTtl} < 60`);
      entries.set(key, { value, expiresAt: expirationTtl === undefined ? null : clock.now() + expirationTtl * 1000 });
    },
  };
  return kv;
}

const EVENT = 'eventaaaaaaaaaaaaaaaaaaa';
const OTHER = 'eventbbbbbbbbbbbbbbbbbbb';
const PAGE = { participants: [{ participantId: 'u1', email: 'a@example.com' }], nextOffset: null };

function setup({ ttlSeconds = 30 } = {}) {
  const clock = fakeClock();
  const kv = fakeKv(clock);
  let versions = 0;
  const cache = createParticipantsCache(kv, { ttlSeconds, now: clock.now, newVersion: () => `v${++versions}` });
  return { clock, kv, cache };
}

// Looks up `input` and, on a miss, fills the entry with `page` the way the Worker does.
async function listThrough(cache, input, page = PAGE, { bookmark = null, minBookmark = null } = {}) {
  const found = await cache.lookup(input, { minBookmark });
  if (found.value !== null) return { hit: true, value: found.value };
  await found.store(page, bookmark);
  return { hit: false, value: page };
}

describe('participants cache over a fake KV', () => {
  test('no KV binding: no cache', () => {
    assert.equal(createParticipantsCache(undefined), null);
    assert.equal(createParticipantsCache(null, { ttlSeconds: 5 }), null);
    assert.equal(DEFAULT_TTL_SECONDS, 30);
  });

  test('a TTL that is not positive is refused', () => {
    for (const ttlSeconds of [0, -1, Number.NaN]) {
      assert.throws(() => createParticipantsCache(fakeKv(fakeClock()), { ttlSeconds }), { name: 'RangeError', message: 'ttlSeconds must be positive' }, String(ttlSeconds));
    }
  });

  test('keys: one per event, limit and offset; inputs the core would reject are not cached', () => {
    assert.equal(pageKey({ eventId: EVENT }), `participants:page:${EVENT}:d:d`);
    assert.equal(pageKey({ eventId: EVENT, limit: 10, offset: 20 }), `participants:page:${EVENT}:10:20`);
    // 0 is a value of its own, not the default (survivors of the mutation run).
    assert.equal(pageKey({ eventId: EVENT, limit: 0, offset: 0 }), `participants:page:${EVENT}:0:0`);
    // null is absent, as the core reads it.
    assert.equal(pageKey({ eventId: EVENT, limit: null, offset: null }), `participants:page:${EVENT}:d:d`);
    for (const input of [
      {},
      { eventId: 'Not-An-Id' },
      { eventId: 42 },
      { eventId: `${EVENT}:1:2` },
      { eventId: EVENT, limit: '10' },
      { eventId: EVENT, limit: 1.5 },
      { eventId: EVENT, offset: -1 },
      null,
    ]) {
      assert.equal(pageKey(input), null, JSON.stringify(input));
    }
  });

  test('a miss fills the entry; the next lookup is a hit with the same page', async () => {
    const { cache, kv, clock } = setup();
    assert.deepEqual(await listThrough(cache, { eventId: EVENT }), { hit: false, value: PAGE });
    assert.deepEqual(await listThrough(cache, { eventId: EVENT }), { hit: true, value: PAGE });
    // Another page of the same event, or another event, is its own entry.
    assert.equal((await listThrough(cache, { eventId: EVENT, limit: 1 })).hit, false);
    assert.equal((await listThrough(cache, { eventId: OTHER })).hit, false);
    assert.equal(await cache.lookup({ eventId: 'Bad' }), null);
    // KV never gets an expirationTtl below its 60 s minimum (the fake would throw).
    const page = kv.entries.get(`participants:page:${EVENT}:d:d`);
    assert.equal(page.expiresAt - clock.now(), 60_000);
  });

  test('older than the TTL is a miss although KV still holds the entry (KV minimum is 60 s)', async () => {
    const { cache, clock, kv } = setup({ ttlSeconds: 30 });
    await listThrough(cache, { eventId: EVENT });
    clock.advance(29.999);
    assert.equal((await cache.lookup({ eventId: EVENT })).value !== null, true);
    clock.advance(0.001); // exactly 30 s
    assert.ok(kv.entries.has(`participants:page:${EVENT}:d:d`));
    assert.equal((await kv.get(`participants:page:${EVENT}:d:d`)) !== null, true, 'KV still serves it');
    assert.equal((await cache.lookup({ eventId: EVENT })).value, null);
    clock.advance(31); // past KV's own 60 s expiry: gone from KV too
    assert.equal(await kv.get(`participants:page:${EVENT}:d:d`), null);
    assert.equal((await listThrough(cache, { eventId: EVENT })).hit, false);
    assert.equal((await listThrough(cache, { eventId: EVENT })).hit, true);
  });

  test('a TTL under a second works too (KV still gets 60 s)', async () => {
    const { cache, clock } = setup({ ttlSeconds: 0.5 });
    await listThrough(cache, { eventId: EVENT });
    clock.advance(0.4);
    assert.equal((await listThrough(cache, { eventId: EVENT })).hit, true);
    clock.advance(0.1);
    assert.equal((await listThrough(cache, { eventId: EVENT })).hit, false);
  });

  test('invalidating an event drops all its pages and no other event', async () => {
    const { cache } = setup();
    for (const input of [{ eventId: EVENT }, { eventId: EVENT, offset: 100 }, { eventId: OTHER }]) {
      await listThrough(cache, input);
    }
    assert.deepEqual(await cache.invalidateAfter('grant_access', { eventId: EVENT }, { grant: { eventId: EVENT } }), [EVENT]);
    assert.equal((await listThrough(cache, { eventId: EVENT })).hit, false);
    assert.equal((await listThrough(cache, { eventId: EVENT, offset: 100 })).hit, false);
    assert.equal((await listThrough(cache, { eventId: OTHER })).hit, true);
    assert.equal((await listThrough(cache, { eventId: EVENT })).hit, true); // refilled
  });

  test('a claiming verification invalidates every event; one that claims nothing, none', async () => {
    const { cache } = setup();
    await listThrough(cache, { eventId: EVENT });
    await listThrough(cache, { eventId: OTHER });
    assert.deepEqual(await cache.invalidateAfter('verify_email', { token: 't' }, { claimedGrants: 0 }), []);
    assert.equal((await listThrough(cache, { eventId: EVENT })).hit, true);
    assert.equal(await cache.invalidateAfter('verify_email', { token: 't' }, { claimedGrants: 2 }), ALL_EVENTS);
    assert.equal((await listThrough(cache, { eventId: EVENT })).hit, false);
    assert.equal((await listThrough(cache, { eventId: OTHER })).hit, false);
  });

  test('a change landing between the D1 read and the fill leaves the fill stale', async () => {
    const { cache } = setup();
    const found = await cache.lookup({ eventId: EVENT }); // versions read here, before "D1"
    await cache.invalidateAfter('invite', { eventId: EVENT }, { invitation: {} }); // a grant commits meanwhile
    await found.store(PAGE); // the page read before the change
    assert.equal((await cache.lookup({ eventId: EVENT })).value, null);
  });

  test('a client whose bookmark is newer than the fill gets a miss', async () => {
    const { cache } = setup();
    const older = '00000000-00000004-00000000-aaaa';
    const newer = '00000000-00000009-00000000-bbbb';
    await listThrough(cache, { eventId: EVENT }, PAGE, { bookmark: older });
    assert.equal((await listThrough(cache, { eventId: EVENT }, PAGE, { minBookmark: older })).hit, true);
    assert.equal((await listThrough(cache, { eventId: EVENT }, PAGE, { minBookmark: 'first-unconstrained' })).hit, true);
    assert.equal((await cache.lookup({ eventId: EVENT }, { minBookmark: newer })).value, null);
    assert.equal((await listThrough(cache, { eventId: EVENT }, PAGE, { minBookmark: 'first-primary' })).hit, true);
    // Nothing stored yet: a miss, whatever the bookmark.
    assert.equal((await cache.lookup({ eventId: OTHER }, { minBookmark: newer })).value, null);
    // A fill without a bookmark (no D1 sessions) cannot prove it is new enough.
    const { cache: plain } = setup();
    await listThrough(plain, { eventId: EVENT });
    assert.equal((await plain.lookup({ eventId: EVENT }, { minBookmark: older })).value, null);
    assert.notEqual((await plain.lookup({ eventId: EVENT })).value, null);
  });

  test('a failing KV is a bypass, never an error', async () => {
    const { cache, kv } = setup();
    await listThrough(cache, { eventId: EVENT });
    const found = await cache.lookup({ eventId: OTHER });
    kv.failing = true;
    const errors = [];
    const original = console.error;
    console.error = (...args) => errors.push(args.join(' '));
    try {
      assert.equal(await cache.lookup({ eventId: EVENT }), null);
      await found.store(PAGE); // resolves
      assert.deepEqual(await cache.invalidateAfter('revoke_access', {}, { revoked: { eventId: EVENT } }), [EVENT]);
    } finally {
      console.error = original;
    }
    assert.deepEqual(errors, [
      'participants cache: read failed KV down',
      'participants cache: write failed KV down',
      'participants cache: invalidation failed KV down',
    ]);
    // A rejection without an Error is logged as it is.
    const odd = createParticipantsCache({ get: () => Promise.reject(), put: () => Promise.reject() }, { now: () => 0 });
    console.error = (...args) => errors.push(args.join(' '));
    try {
      assert.equal(await odd.lookup({ eventId: EVENT }), null);
    } finally {
      console.error = original;
    }
    assert.equal(errors.at(-1), 'participants cache: read failed ');
  });

  test('the KV format: key names and expiries every deploy shares; an entry of another shape is a miss', async () => {
    const { cache, kv, clock } = setup();
    await cache.invalidateAfter('grant_access', { eventId: EVENT }, { grant: { eventId: EVENT } });
    await cache.invalidateAfter('verify_email', {}, { claimedGrants: 1 });
    // Version keys live a day (VERSION_EXPIRATION_TTL), the epoch key too.
    for (const key of [`participants:v:${EVENT}`, 'participants:v:*']) {
      assert.equal(kv.entries.get(key)?.expiresAt - clock.now(), 86_400_000, key);
    }
    // A fresh-looking entry whose time is not a number (another writer's) is not served.
    const key = `participants:page:${EVENT}:d:d`;
    const version = await kv.get(`participants:v:${EVENT}`);
    const epoch = await kv.get('participants:v:*');
    kv.entries.set(key, { value: JSON.stringify({ at: String(clock.now()), version, epoch, bookmark: null, value: PAGE }), expiresAt: null });
    assert.equal((await cache.lookup({ eventId: EVENT })).value, null);
  });

  test('the defaults: the real clock and random versions', async () => {
    const kv = fakeKv({ now: () => Date.now() });
    const cache = createParticipantsCache(kv);
    assert.equal(cache.ttlSeconds, DEFAULT_TTL_SECONDS);
    for (let round = 0; round < 2; round++) {
      assert.equal((await listThrough(cache, { eventId: EVENT })).hit, false, `round ${round}`);
      assert.equal((await listThrough(cache, { eventId: EVENT })).hit, true, `round ${round}`);
      await cache.invalidateAfter('grant_access', { eventId: EVENT }, { grant: { eventId: EVENT } });
    }
  });

  test('what each invalidating operation names, whatever shape its answer has', () => {
    // The answer's event wins over the input's; a missing or partial answer names what it can.
    assert.deepEqual(changedEvents('grant_access', { eventId: EVENT }, { grant: { eventId: OTHER } }), [OTHER]);
    assert.deepEqual(changedEvents('grant_access', { eventId: EVENT }, {}), [EVENT]);
    assert.deepEqual(changedEvents('grant_access', { eventId: EVENT }, undefined), [EVENT]);
    assert.deepEqual(changedEvents('revoke_access', {}, {}), []);
    assert.deepEqual(changedEvents('revoke_access', {}, undefined), []);
    assert.deepEqual(changedEvents('verify_email', {}, undefined), []);
    // Orders: the order's event and every event its access rows name, once each.
    const order = { order: { eventId: EVENT }, accessGrants: [{ eventId: OTHER }, { eventId: EVENT }], invitations: [{ eventId: 'eventccccccccccccccccccc' }, null] };
    assert.deepEqual(changedEvents('ingest_order', {}, order), [EVENT, OTHER, 'eventccccccccccccccccccc']);
    assert.deepEqual(changedEvents('receive_webhook', { eventId: EVENT }, undefined), [EVENT]);
    // Today's answers name the events by eventIds, refunded orders too (issue 14: no grants or invitations).
    assert.deepEqual(changedEvents('refund_order', {}, { order: { eventId: EVENT }, access: [], eventIds: [OTHER, EVENT] }), [EVENT, OTHER]);
    // The catalog: a removal that removed something, every event; deleting a role, the events it names.
    for (const op of ['remove_role_permission', 'remove_role_inheritance']) {
      assert.equal(changedEvents(op, {}, { removed: true }), ALL_EVENTS, op);
      assert.deepEqual(changedEvents(op, {}, { removed: false }), [], op);
      assert.deepEqual(changedEvents(op, {}, undefined), [], op);
    }
    assert.deepEqual(changedEvents('delete_role', {}, { events: [EVENT, 'Bad id', 7, OTHER] }), [EVENT, OTHER]);
    assert.deepEqual(changedEvents('delete_role', {}, undefined), []);
  });

  test('which operations change which lists', () => {
    assert.deepEqual(changedEvents('grant_access', { eventId: EVENT }, { grant: { eventId: EVENT }, created: true }), [EVENT]);
    assert.deepEqual(changedEvents('revoke_access', { grantId: 'g' }, { revoked: { eventId: OTHER } }), [OTHER]);
    assert.deepEqual(changedEvents('invite', { eventId: EVENT }, { grant: null, invitation: {} }), [EVENT]);
    assert.deepEqual(changedEvents('sign_up', {}, { status: 'verification_sent' }), []); // claims nothing
    for (const op of ['verify_email', 'sign_in_with_provider', 'link_provider', 'accept_invitations']) {
      assert.equal(changedEvents(op, {}, { claimedGrants: 1 }), ALL_EVENTS, op);
      assert.deepEqual(changedEvents(op, {}, { claimedGrants: 0 }), [], op);
    }
    for (const op of ['list_participants', 'create_event', 'define_role', 'get_user']) {
      assert.deepEqual(changedEvents(op, { eventId: EVENT }, {}), [], op);
    }
    assert.deepEqual(changedEvents('invite', { eventId: 'Bad id' }, {}), []);
    // Orders: the answer names the order's event (refunds and cancellations
    // by retailer id carry no eventId in their input).
    for (const op of ['ingest_order', 'refund_order', 'cancel_order']) {
      assert.deepEqual(changedEvents(op, { retailer: 'shopify', externalOrderId: '1' }, { order: { eventId: OTHER } }), [OTHER], op);
    }
    assert.deepEqual(changedEvents('ingest_order', { eventId: EVENT }, {}), [EVENT]);
  });
});

// --- which operations invalidate: derived from the fixtures, not listed by hand ---
//
// Every step of every fixture runs through the wasm over sql.js. Around each
// step, SQLite's update hook (sql.js's updateHook: every row written, foreign
// key cascades included, even when the batch then rolls back) says which of the
// tables behind a participant list the step wrote, and the rows of those
// tables and of event_participants_view before and after say which events'
// lists really changed. Then:
//   - every operation that wrote one of those tables in any step, ok or not,
//     must be one the cache invalidates after (INVALIDATING_OPERATIONS);
//   - after every successful step, the events it invalidates must cover the
//     events whose lists changed (or be every event).
// A new operation that writes a grant, an invitation or a pending profile
// (and every operation has a fixture: tests/native/fault_injection_test.cpp
// fails without one) fails here until participants_cache.mjs handles it.

const ACCESS_TABLES = ['access_grants', 'invitations', 'pending_profiles'];

// "<table>:<rowid>" -> {eventId, row}, for the access tables and the view
// (whose rows have no rowid: keyed by their content, counted).
async function participantRows(webapp) {
  const rows = new Map();
  for (const table of ACCESS_TABLES) {
    const found = await webapp.prepare(`SELECT rowid AS r, event_id AS e, * FROM ${table}`).raw();
    for (const [rowid, eventId, ...rest] of found) rows.set(`${table}:${rowid}`, { eventId, row: JSON.stringify(rest) });
  }
  const view = await webapp.prepare('SELECT event_id AS e, * FROM event_participants_view').raw();
  for (const [eventId, ...rest] of view) {
    const key = `view:${JSON.stringify(rest)}`;
    rows.set(key, { eventId, row: String((Number(rows.get(key)?.row) || 0) + 1) });
  }
  return rows;
}

function changedEventIds(before, after) {
  const events = new Set();
  for (const [key, was] of before) if (after.get(key)?.row !== was.row) events.add(was.eventId);
  for (const [key, now] of after) if (before.get(key)?.row !== now.row) events.add(now.eventId);
  return events;
}

describe('operations that change who holds access invalidate the participants cache (derived)', () => {
  test('derived from every fixture step over sql.js: writers of grants, invitations, pending profiles', async () => {
    const writers = new Map(); // operation -> the access tables it wrote
    const ran = new Set();
    const problems = [];
    let registered = [];
    let changingSteps = 0;
    for (const file of fixtureFiles()) {
      const fixture = loadFixture(file);
      const target = await sqlJsTarget({ seedData: fixture.seed_data ?? true });
      registered = target.instance.operationNames();
      let touched = new Set();
      // The adapter's own sql.js database: test-only access to its update hook.
      target.webapp.engine.db.updateHook((_kind, _db, table) => {
        if (ACCESS_TABLES.includes(table)) touched.add(table);
      });
      await target.setDeterministic(fixture.seed ?? '0'.repeat(64), fixture.startMs ?? 1767225600000);
      const outcomes = [];
      for (const [i, step] of fixture.steps.entries()) {
        const input = resolveReferences(step.input ?? {}, outcomes);
        const before = await participantRows(target.webapp);
        touched = new Set();
        const outcome = await target.outcome(step.op, input);
        outcomes.push(outcome);
        ran.add(step.op);
        if (touched.size > 0) {
          if (!writers.has(step.op)) writers.set(step.op, new Set());
          for (const table of touched) writers.get(step.op).add(table);
        }
        if (!outcome.ok) continue;
        const changed = changedEventIds(before, await participantRows(target.webapp));
        if (changed.size === 0) continue;
        changingSteps++;
        const invalidated = changedEvents(step.op, input, outcome.value);
        const missed = invalidated === ALL_EVENTS ? [] : [...changed].filter((e) => !invalidated.includes(e));
        if (missed.length > 0) {
          problems.push(`${file} step ${i} (${step.op}) changed the lists of ${missed.join(', ')} but invalidates ${JSON.stringify(invalidated)}`);
        }
      }
      await target.close();
    }
    for (const [op, tables] of writers) {
      if (!INVALIDATING_OPERATIONS.includes(op)) {
        problems.push(`${op} writes ${[...tables].join(', ')} but participants_cache.mjs does not invalidate after it`);
      }
    }
    for (const op of registered) if (!ran.has(op)) problems.push(`${op} has no fixture step: its writes cannot be derived`);
    for (const op of INVALIDATING_OPERATIONS) if (!registered.includes(op)) problems.push(`${op} is not an operation`);
    assert.deepEqual(problems, []);
    // The derivation itself works: it found the writers everyone knows about.
    for (const op of ['grant_access', 'revoke_access', 'invite', 'verify_email', 'ingest_order', 'refund_order', 'cancel_order']) {
      assert.ok(writers.has(op), `${op} was seen writing an access table`);
    }
    assert.ok(changingSteps > 20, `${changingSteps} steps changed a list`);
    console.log(`derived writers: ${[...writers.keys()].sort().join(', ')}; ${changingSteps} steps changed a list`);
  });
});

// --- end to end: the example Worker with a KV namespace ---------------------------

const SEEDED_ACCOUNT = 'seedaccounteventuall0001';
const SEEDED_OWNER = 'seedusereventuall0000001';
const ADMIN = { 'x-eventuall-admin-token': 'test-admin' };
const MODERATOR = 'rolemoderator00000000000'; // holds participants.view
const ATTENDEE = 'roleattendee000000000000'; // does not
// Long, so that no hit below depends on how fast this machine is; the TTL is
// reached by ageing the cached entry instead of waiting (ageEntry).
const TTL_SECONDS = 3600;
const SHOPIFY_SECRET = 'shpss_cache_test';
const SHOPIFY_VARIANT = 39072856;

// A Shopify order of one pass; the buyer has no account, so access is an invitation.
const shopifyOrder = (id, email) =>
  JSON.stringify({
    id,
    email,
    currency: 'USD',
    total_price: '30.00',
    created_at: '2026-11-27T10:00:00-05:00',
    line_items: [{ id: id + 1, product_id: 632910392, variant_id: SHOPIFY_VARIANT, sku: 'PASS', title: 'Pass', quantity: 1, price: '30.00' }],
  });

describe('participants cache in the example Worker (Miniflare, KV bound)', () => {
  let mf;

  before(async () => {
    ({ mf } = await startExampleWorker({
      kvNamespaces: ['PARTICIPANTS_CACHE'],
      bindings: {
        ADMIN_TOKEN: 'test-admin',
        PARTICIPANTS_CACHE_TTL_SECONDS: String(TTL_SECONDS),
        RETAILER_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      },
    }));
  });

  after(async () => {
    await mf?.dispose();
  });

  async function post(operation, body, headers = {}) {
    const res = await mf.dispatchFetch(`http://localhost/v1/${operation}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, cache: res.headers.get('x-cache'), body: await res.json() };
  }

  async function ok(operation, body, headers) {
    const res = await post(operation, body, headers);
    assert.equal(res.status, 200, `${operation}: ${JSON.stringify(res.body)}`);
    return res.body.value;
  }

  // The clock of the end-to-end test: a cached page's age is now minus its
  // `at`, so moving `at` back by ms makes it that much older, at once.
  async function ageEntry(key, ms) {
    const kv = await mf.getKVNamespace('PARTICIPANTS_CACHE');
    const entry = await kv.get(key, { type: 'json' });
    assert.ok(entry, `${key} is cached`);
    await kv.put(key, JSON.stringify({ ...entry, at: entry.at - ms }), { expirationTtl: 60 });
  }

  const bearer = async (userId) => ({ authorization: `Bearer ${(await ok('create_session', { userId }, ADMIN)).token}` });
  const emails = (res) => res.body.value.participants.map((p) => `${p.participantKind}:${p.email}`).sort();

  test('list → hit, grant → fresh list, revoked viewer refused, claim → fresh, TTL → miss', async () => {
    const owner = await bearer(SEEDED_OWNER);
    const { event } = await ok('create_event', { accountId: SEEDED_ACCOUNT, name: 'Cached', rooms: [{ name: 'Main' }] }, owner);
    const eventId = event.id;
    const mod = await ok('sign_up', { email: 'mod@example.com', name: 'Mod' }, ADMIN);
    await ok('grant_access', { userId: mod.user.id, eventId, roleId: MODERATOR }, owner);

    // First list fills the cache, the second is served from it.
    const first = await post('list_participants', { eventId }, owner);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.cache, 'miss');
    assert.deepEqual(emails(first), ['user:mod@example.com']);
    const second = await post('list_participants', { eventId }, owner);
    assert.equal(second.cache, 'hit');
    assert.deepEqual(second.body, first.body);
    // Another viewer with participants.view shares the page; each page is its own entry.
    const modHeaders = await bearer(mod.user.id);
    assert.equal((await post('list_participants', { eventId }, modHeaders)).cache, 'hit');
    assert.equal((await post('list_participants', { eventId, limit: 1 }, owner)).cache, 'miss');

    // Someone without participants.view never gets the cached page.
    const guest = await ok('sign_up', { email: 'guest@example.com', name: 'Guest' }, ADMIN);
    const guestHeaders = await bearer(guest.user.id);
    const stranger = await post('list_participants', { eventId }, guestHeaders);
    assert.equal(stranger.status, 404, JSON.stringify(stranger.body));
    assert.equal(stranger.cache, 'bypass');

    // A grant invalidates: the next list is fresh and shows the new participant.
    const attendee = await ok('grant_access', { userId: guest.user.id, eventId, roleId: ATTENDEE }, owner);
    const afterGrant = await post('list_participants', { eventId }, owner);
    assert.equal(afterGrant.cache, 'miss');
    assert.deepEqual(emails(afterGrant), ['user:guest@example.com', 'user:mod@example.com']);
    assert.equal((await post('list_participants', { eventId }, owner)).cache, 'hit');
    // The guest can see the event now but still not its participants.
    assertStatus(await post('list_participants', { eventId }, guestHeaders), 403, 'bypass');

    // Revoking the moderator: invalidated, and the moderator is refused at once
    // although a page is cached again (the permission is checked on every request).
    const again = await ok('grant_access', { userId: mod.user.id, eventId, roleId: MODERATOR }, owner);
    assert.equal(again.created, false); // the existing grant, to learn its id
    await ok('revoke_access', { grantId: again.grant.id }, owner);
    const afterRevoke = await post('list_participants', { eventId }, owner);
    assert.equal(afterRevoke.cache, 'miss');
    assert.deepEqual(emails(afterRevoke), ['user:guest@example.com']);
    const refused = await post('list_participants', { eventId }, modHeaders);
    assert.ok([403, 404].includes(refused.status), JSON.stringify(refused.body));
    assert.equal(refused.cache, 'bypass');

    // An invitation invalidates; the invitee's verified email claims it and invalidates again.
    await ok('invite', { email: 'invitee@example.com', eventId, roleId: ATTENDEE }, owner);
    const invited = await post('list_participants', { eventId }, owner);
    assert.equal(invited.cache, 'miss');
    assert.deepEqual(emails(invited), ['pending:invitee@example.com', 'user:guest@example.com']);
    assert.equal((await post('list_participants', { eventId }, owner)).cache, 'hit');
    const invitee = await ok('sign_up', { email: 'invitee@example.com', name: 'Invitee' }, ADMIN);
    assert.equal((await post('list_participants', { eventId }, owner)).cache, 'hit'); // nothing claimed yet
    const verified = await ok('verify_email', { token: invitee.verification.token });
    assert.equal(verified.claimedGrants, 1);
    const claimed = await post('list_participants', { eventId }, owner);
    assert.equal(claimed.cache, 'miss');
    assert.deepEqual(emails(claimed), ['user:guest@example.com', 'user:invitee@example.com']);

    // The TTL: a page older than it is a miss, although KV still holds it.
    assert.equal((await post('list_participants', { eventId }, owner)).cache, 'hit');
    await ageEntry(`participants:page:${eventId}:d:d`, (TTL_SECONDS - 60) * 1000);
    assert.equal((await post('list_participants', { eventId }, owner)).cache, 'hit', 'a minute younger than the TTL');
    await ageEntry(`participants:page:${eventId}:d:d`, 60_000);
    const expired = await post('list_participants', { eventId }, owner);
    assert.equal(expired.cache, 'miss');
    assert.deepEqual(expired.body, claimed.body);
    assert.equal((await post('list_participants', { eventId }, owner)).cache, 'hit');
  });

  // A delivery to the store connection's URL; the core reads the action from the
  // signed body (the topic header is only a label here).
  let deliveries = 0;
  async function shopifyWebhook(connectionId, topic, body) {
    const res = await mf.dispatchFetch(`http://localhost/webhooks/shopify/${connectionId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': topic,
        'x-shopify-webhook-id': `cache-test-delivery-${++deliveries}`,
        'x-shopify-hmac-sha256': await shopifySignature(body, SHOPIFY_SECRET),
      },
      body,
    });
    const outcome = await res.json();
    assert.equal(res.status, 200, `${topic}: ${JSON.stringify(outcome)}`);
    return outcome.value;
  }

  // Issue 21, items 2 and 3: the list was a cache hit, stale until the TTL,
  // after an order gave its buyer access and after a refund or cancellation
  // took it back, through /v1 and through the webhook routes.
  test('orders, refunds and cancellations, through /v1 and webhooks, leave no stale list', async () => {
    const owner = await bearer(SEEDED_OWNER);
    const { event } = await ok('create_event', { accountId: SEEDED_ACCOUNT, name: 'Sold', rooms: [{ name: 'Hall' }] }, owner);
    const eventId = event.id;
    const { ticket } = await ok('create_ticket', { eventId, name: 'Pass', price: 3000, currency: 'USD' }, owner);
    await ok('create_sku_mapping', { eventId, retailer: 'shopify', externalId: String(SHOPIFY_VARIANT), ticketId: ticket.id }, owner);
    const { connection } = await ok(
      'create_retailer_connection',
      { accountId: SEEDED_ACCOUNT, retailer: 'shopify', externalAccountId: 'cache-test.myshopify.com', secret: SHOPIFY_SECRET },
      owner,
    );
    const shop = connection.id;

    // The list as the owner sees it, asserting a fresh read (never the cached page).
    const freshList = async (what) => {
      const res = await post('list_participants', { eventId }, owner);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.cache, 'miss', `${what}: the list after it is read again, not a cache hit`);
      const hit = await post('list_participants', { eventId }, owner);
      assert.equal(hit.cache, 'hit', `${what}: the fresh list is cached`);
      return emails(res);
    };
    assert.deepEqual(await freshList('nothing yet'), []);

    const a = await ok('ingest_order', { eventId, retailer: 'shopify', payload: shopifyOrder(1001, 'a@example.com') }, owner);
    assert.equal(a.access.length, 1);
    assert.deepEqual(await freshList('ingest_order via /v1'), ['pending:a@example.com']);
    await shopifyWebhook(shop, 'orders/create', shopifyOrder(2002, 'b@example.com'));
    assert.deepEqual(await freshList('orders/create webhook'), ['pending:a@example.com', 'pending:b@example.com']);
    await shopifyWebhook(shop, 'orders/create', shopifyOrder(3003, 'c@example.com'));
    await shopifyWebhook(shop, 'orders/paid', shopifyOrder(4004, 'd@example.com'));
    assert.deepEqual(await freshList('orders/paid webhook'), [
      'pending:a@example.com', 'pending:b@example.com', 'pending:c@example.com', 'pending:d@example.com',
    ]);

    assert.equal((await ok('refund_order', { orderId: a.order.id }, owner)).changed, true);
    assert.deepEqual(await freshList('refund_order via /v1'), ['pending:b@example.com', 'pending:c@example.com', 'pending:d@example.com']);
    const refunded = await shopifyWebhook(shop, 'refunds/create', JSON.stringify({ id: 9, order_id: 2002, refund_line_items: [] }));
    assert.equal(refunded.order.status, 'refunded');
    assert.deepEqual(await freshList('refunds/create webhook'), ['pending:c@example.com', 'pending:d@example.com']);
    const cancelled = await shopifyWebhook(
      shop,
      'orders/cancelled',
      JSON.stringify({ ...JSON.parse(shopifyOrder(3003, 'c@example.com')), cancelled_at: '2026-11-28T10:00:00-05:00' }),
    );
    assert.equal(cancelled.order.status, 'cancelled');
    assert.deepEqual(await freshList('orders/cancelled webhook'), ['pending:d@example.com']);
    const d = await ok('get_order', { retailer: 'shopify', externalOrderId: '4004', connectionId: shop }, owner);
    assert.equal((await ok('cancel_order', { orderId: d.order.id }, owner)).order.status, 'cancelled');
    assert.deepEqual(await freshList('cancel_order via /v1'), []);

    // A buyer with an account whose email is verified waits as a pending
    // invitation too (the list must not tell), until they accept it: a grant
    // (source order). The same holds.
    const signedIn = await ok('sign_in_with_provider', { provider: 'google', providerAccountId: 'e', email: 'e@example.com', name: 'E', emailVerified: true }, ADMIN);
    assert.equal((await post('list_participants', { eventId }, owner)).cache, 'hit', 'a sign-up that claims nothing changes no list');
    const e = await shopifyWebhook(shop, 'orders/create', shopifyOrder(5005, 'e@example.com'));
    assert.equal(e.access.length, 1);
    assert.deepEqual(await freshList('orders/create webhook, buyer with an account'), ['pending:e@example.com']);
    assert.equal((await ok('accept_invitations', { actorUserId: signedIn.user.id }, ADMIN)).claimedGrants, 1);
    assert.deepEqual(await freshList('accept_invitations'), ['user:e@example.com']);
    await shopifyWebhook(shop, 'refunds/create', JSON.stringify({ id: 10, order_id: 5005, refund_line_items: [] }));
    assert.deepEqual(await freshList('refunds/create webhook of a grant'), []);
  });

  test('the admin caller uses the cache with the actor of its body; bad input bypasses it', async () => {
    const owner = await bearer(SEEDED_OWNER);
    const { event } = await ok('create_event', { accountId: SEEDED_ACCOUNT, name: 'Admin list', rooms: [] }, owner);
    const asAdmin = await post('list_participants', { eventId: event.id, actorUserId: SEEDED_OWNER }, ADMIN);
    assert.equal(asAdmin.cache, 'miss');
    assert.equal((await post('list_participants', { eventId: event.id }, owner)).cache, 'hit');
    assertStatus(await post('list_participants', { eventId: event.id, limit: 'lots' }, owner), 400, 'bypass');
    assertStatus(await post('list_participants', { eventId: 'nope' }, owner), 400, 'bypass');
    assertStatus(await post('list_participants', { eventId: event.id }, ADMIN), 400, 'bypass'); // no actor
  });
});

function assertStatus(res, status, cache) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.cache, cache);
}

test("orders invalidate the lists of every event their access rows name", async () => {
  const { changedEvents } = await import("../../js-shim/example/participants_cache.mjs");
  const a = "eventaaaaaaaaaaaaaaaaaaa";
  const b = "eventbbbbbbbbbbbbbbbbbbb";
  const value = { order: { eventId: a }, accessGrants: [{ eventId: a }], invitations: [{ eventId: b }] };
  for (const op of ["ingest_order", "refund_order", "cancel_order", "receive_webhook"]) {
    assert.deepEqual(changedEvents(op, {}, value), [a, b], op);
  }
  assert.deepEqual(changedEvents("receive_webhook", {}, { action: "ignored" }), []);
});
