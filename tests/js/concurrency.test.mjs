// 100 operations in flight at once in one Worker instance (workerd, local D1),
// each verified, and the instance left with nothing in flight.
import test from "node:test";
import assert from "node:assert/strict";

import { miniflareTarget } from "./support.mjs";

test("100 operations in flight at once in one Worker instance", async () => {
  const target = await miniflareTarget();
  try {
    const accounts = ["seedaccounteventuall0001", "seedaccountmomentus00001", "seedaccountsgblaise00001"];
    const owners = ["seedusereventuall0000001", "seedusermomentus00000001", "seedusersgblaise00000001"];
    const calls = [];
    for (let i = 0; i < 100; i++) {
      if (i % 2 === 0) {
        calls.push({ op: "sign_up", input: { email: `user${i}@example.com`, name: `User ${i}` } });
      } else {
        calls.push({
          op: "create_event",
          input: { actorUserId: owners[i % 3], accountId: accounts[i % 3], name: `Event ${i}`, rooms: [{ name: `Room ${i}a` }, { name: `Room ${i}b` }] },
        });
      }
    }
    const { outcomes, peakInFlight } = await target.post("/concurrent", { calls });
    assert.equal(peakInFlight, 100, "all 100 were in flight at once");
    assert.equal(outcomes.length, 100);
    for (const [i, outcome] of outcomes.entries()) {
      assert.equal(outcome.ok, true, `call ${i}: ${JSON.stringify(outcome.error)}`);
      if (i % 2 === 0) {
        assert.equal(outcome.value.user.email, `user${i}@example.com`);
        assert.equal(outcome.value.account.name, `User ${i}`);
      } else {
        assert.equal(outcome.value.event.name, `Event ${i}`);
        assert.equal(outcome.value.event.accountId, accounts[i % 3]);
        assert.deepEqual(outcome.value.rooms.map((r) => r.name), [`Room ${i}a`, `Room ${i}b`]);
        assert.ok(outcome.value.rooms.every((r) => r.eventId === outcome.value.event.id));
      }
    }
    // Each result is what the database holds, and nothing leaked across calls.
    const users = await target.webapp.prepare("SELECT count(*) AS n FROM users").first("n");
    assert.equal(users, 3 + 50);
    const rooms = await target.webapp.prepare("SELECT count(*) AS n FROM rooms").first("n");
    assert.equal(rooms, 100);
    for (const [i, outcome] of outcomes.entries()) {
      if (i % 2 === 1) {
        const got = await target.post("/call", {
          op: "get_event",
          input: { actorUserId: owners[i % 3], id: outcome.value.event.id },
        });
        assert.deepEqual(got.value.rooms, outcome.value.rooms);
      }
    }
    const ids = new Set(outcomes.flatMap((o) => [o.value.user?.id, o.value.event?.id].filter(Boolean)));
    assert.equal(ids.size, 100, "every id is unique");
    assert.equal((await target.stats()).inFlight, 0);
  } finally {
    await target.close();
  }
});
