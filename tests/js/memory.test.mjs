// 100,000 operations through one wasm instance (over sql.js, the fastest
// path): after a warm-up, the heap in use and the linear memory stay flat,
// so nothing an operation allocates outlives it.
import test from "node:test";
import assert from "node:assert/strict";

import { sqlJsTarget } from "./support.mjs";

const OPERATIONS = Number(process.env.EVENTUALL_MEMORY_OPERATIONS ?? 100_000);
const WARM_UP = 5_000;
// Allocator slack: free lists and bins may settle a little after warm-up.
const MAX_HEAP_GROWTH = 64 * 1024;

test(`${OPERATIONS.toLocaleString("en")} operations through one wasm instance keep memory flat`, async () => {
  const target = await sqlJsTarget();
  const owner = "seedusereventuall0000001";
  const account = "seedaccounteventuall0001";
  const session = await target.outcome("create_session", { userId: owner });
  const event = await target.outcome("create_event", { actorUserId: owner, accountId: account, name: "Mem" });
  assert.ok(session.ok && event.ok);
  // Mostly reads and failures (bounded database), a write every tenth call.
  const calls = [
    () => ["get_user", { id: owner }],
    () => ["validate_session", { token: session.value.token }],
    () => ["get_event", { actorUserId: owner, id: event.value.event.id }],
    () => ["can", { userId: owner, eventId: event.value.event.id, permission: "event.view" }],
    () => ["list_user_accounts", { userId: owner }],
    () => ["sign_up", { email: "bad" }],
    () => ["get_user", "{malformed"],
    () => ["no_such_operation", {}],
    () => ["list_account_events", { actorUserId: owner, accountId: account, limit: 5 }],
    (i) => ["issue_login_token", { userId: owner, ttlSeconds: 60 + (i % 7) }],
  ];
  let warm = null;
  let failures = 0;
  const started = Date.now();
  for (let i = 0; i < OPERATIONS; i++) {
    const [op, input] = calls[i % calls.length](i);
    const outcome = await target.outcome(op, input);
    if (!outcome.ok) failures++;
    if (i + 1 === WARM_UP) warm = { heap: target.instance.heapBytes(), memory: target.instance.memoryBytes() };
  }
  const end = { heap: target.instance.heapBytes(), memory: target.instance.memoryBytes() };
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `memory: ${OPERATIONS} operations in ${seconds.toFixed(1)} s; heap in use ${warm.heap} -> ${end.heap} bytes ` +
      `(growth ${end.heap - warm.heap}), linear memory ${warm.memory} -> ${end.memory} bytes`,
  );
  assert.equal(failures, (OPERATIONS / calls.length) * 3, "exactly the three failing shapes failed");
  assert.equal(target.instance.inFlight(), 0);
  assert.equal(target.instance.broken, null);
  assert.ok(end.heap - warm.heap <= MAX_HEAP_GROWTH, `heap grew by ${end.heap - warm.heap} bytes`);
  assert.equal(end.memory, warm.memory, "linear memory did not grow after warm-up");
});
