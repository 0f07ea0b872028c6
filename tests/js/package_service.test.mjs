// EventuallService (js-shim/service.mjs) over Workers RPC: two Workers in one Miniflare, the
// app calling the service over its service binding. The caller's identity is the first
// argument of every call, set by the app's backend; what the input claims never changes who
// acts. Typed end to end: examples/consumer-worker's caller type-checks against
// service.d.mts (tests/js/package_consumer.test.mjs).
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

import { operations } from '../../js-shim/dist/manifest.mjs';
import { applyMigrations } from '../../js-shim/node/migrations.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let mf;
before(async () => {
  mf = new Miniflare({
    workers: [
      {
        name: 'app',
        modules: true,
        scriptPath: path.join(ROOT, 'tests/js/workers/service_caller.mjs'),
        compatibilityDate: '2026-04-01',
        serviceBindings: { EVENTUALL: 'eventuall' },
      },
      {
        name: 'eventuall',
        modules: true,
        scriptPath: path.join(ROOT, 'js-shim/service.mjs'),
        modulesRoot: ROOT,
        modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
        compatibilityDate: '2026-04-01',
        d1Databases: { DB: 'service-webapp', WORKERS_DB: 'service-workers' },
      },
    ],
  });
  await applyMigrations(await mf.getD1Database('DB', 'eventuall'), path.join(ROOT, 'migrations/webapp'));
  await applyMigrations(await mf.getD1Database('WORKERS_DB', 'eventuall'), path.join(ROOT, 'migrations/workers'));
});
after(() => mf?.dispose());

async function post(route, body, token) {
  const response = await mf.dispatchFetch(`http://app/${route}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return response.json();
}

async function userWithToken(email) {
  const signed = await post('sign_up', { email, name: email.split('@')[0] });
  assert.ok(signed.ok, JSON.stringify(signed));
  const session = await post('create_session', { userId: signed.value.user.id });
  assert.ok(session.ok, JSON.stringify(session));
  return { user: signed.value.user, account: signed.value.account, token: session.value.token };
}

test('the app calls the service over the binding as the user its backend authenticated', async () => {
  const ada = await userWithToken('ada@example.com');
  const created = await post('create_event', { accountId: ada.account.id, name: 'Launch', rooms: [{ name: 'Main', kind: 'stage' }] }, ada.token);
  assert.ok(created.ok, JSON.stringify(created));
  const seen = await post('get_event', { id: created.value.event.id }, ada.token);
  assert.equal(seen.value.event.name, 'Launch');
  const ticket = await post('create_ticket', { eventId: created.value.event.id, name: 'GA', price: 100, currency: 'USD' }, ada.token);
  assert.ok(ticket.ok, JSON.stringify(ticket));
  const info = await (await mf.dispatchFetch('http://app/info')).json();
  assert.deepEqual(info.operations, [...operations]);
  assert.ok(info.requiredMigrations.webapp.includes('0000_initial.sql'));
});

test('an actorUserId in the input never changes who acts', async () => {
  const owner = await userWithToken('owner@example.com');
  const mallory = await userWithToken('mallory@example.com');
  const refused = await post('create_event', { actorUserId: owner.user.id, accountId: owner.account.id, name: 'Hijack', rooms: [] }, mallory.token);
  assert.equal(refused.ok, false);
  assert.ok(['forbidden', 'not_found'].includes(refused.error.code), JSON.stringify(refused));
  const list = await post('list_account_events', { accountId: owner.account.id }, owner.token);
  assert.deepEqual(list.value.events.map((e) => e.name), []);
  // Self-service operations may name only the caller.
  const keys = await post('list_api_keys', { userId: owner.user.id }, mallory.token);
  assert.equal(keys.error.code, 'forbidden');
});

test('a user caller cannot run administrative operations; the backend can', async () => {
  const user = await userWithToken('plain@example.com');
  const asUser = await post('rpc-as', { method: 'definePermission', args: [{ userId: user.user.id }, { name: 'x.y' }] });
  assert.equal(asUser.error.code, 'forbidden');
  const asAdmin = await post('rpc-as', { method: 'definePermission', args: [{ admin: true }, { name: 'x.y' }] });
  assert.ok(asAdmin.ok, JSON.stringify(asAdmin));
});

test('a caller that is neither {userId} nor {admin: true} is unauthenticated; bad input is typed', async () => {
  for (const caller of [null, {}, { userId: '' }, { userId: 7 }, { admin: 'yes' }, { admin: true, userId: 'x' }, 'admin']) {
    const out = await post('rpc-as', { method: 'getUser', args: [caller, { id: 'x' }] });
    assert.equal(out.error?.code, 'unauthenticated', JSON.stringify({ caller, out }));
  }
  const notObject = await post('rpc-as', { method: 'getUser', args: [{ admin: true }, [1]] });
  assert.equal(notObject.error.code, 'invalid_input');
  const unknown = await post('rpc-as', { method: 'run', args: [{ admin: true }, 'drop_everything', {}] });
  assert.equal(unknown.error.code, 'invalid_input');
});

test('the service has no public HTTP surface', async () => {
  const service = await mf.getWorker('eventuall');
  const response = await service.fetch('http://eventuall/v1/sign_up', { method: 'POST', body: '{}' });
  assert.equal(response.status, 404);
  await response.text();
});
