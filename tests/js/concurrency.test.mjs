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

// 200 calls over independent rows (so no call can see another's writes) and
// both databases: start_recording reads the webapp and writes the workers DB
// (two round trips, so its halves interleave with everything else),
// append_logs writes the workers DB only.
function twoHundredCalls(stage) {
  const accounts = ["seedaccounteventuall0001", "seedaccountmomentus00001", "seedaccountsgblaise00001"];
  const owners = ["seedusereventuall0000001", "seedusermomentus00000001", "seedusersgblaise00000001"];
  const makers = [
    (i) => ({ op: "sign_up", input: { email: `c${i}@example.com`, name: `C ${i}` } }),
    (i) => ({
      op: "create_event",
      input: { actorUserId: owners[i % 3], accountId: accounts[i % 3], name: `E ${i}`, rooms: [{ name: `R ${i}` }] },
    }),
    (i) => ({ op: "create_session", input: { userId: owners[i % 3], ttlSeconds: 60 + i } }),
    (i) => ({ op: "issue_login_token", input: { userId: owners[i % 3] } }),
    (i) => ({ op: "create_api_key", input: { userId: owners[i % 3], name: `K ${i}`, scopes: ["events:read"] } }),
    (i) => ({ op: "get_user", input: { id: owners[i % 3] } }),
    (i) => ({ op: "list_user_accounts", input: { userId: owners[i % 3] } }),
    (i) => ({
      op: "start_recording",
      input: {
        actorUserId: owners[0],
        eventId: stage.eventId,
        roomId: stage.roomId,
        idempotencyKey: `take-${i}`,
        muxStreamId: `mux-${i}`,
        stageEvents: [{ participantId: `p${i}` }],
      },
    }),
    (i) => ({ op: "append_logs", input: { lines: [{ layer: "workflow", message: `line ${i}`, context: { i } }] } }),
  ];
  return Array.from({ length: 200 }, (_, i) => makers[i % makers.length](i));
}

test("200 operations in flight at once give the results of running them one by one", async () => {
  const seed = "c0c0c0c0000102030405060708090a0b0c0d0e0f101112131415161718191a1b";
  const concurrent = await miniflareTarget();
  const sequential = await miniflareTarget();
  try {
    await concurrent.setDeterministic(seed, 1767225600000);
    await sequential.setDeterministic(seed, 1767225600000);
    // The same event with a stage room on both (deterministic ids), for the recordings.
    const stageEvent = {
      actorUserId: "seedusereventuall0000001",
      accountId: "seedaccounteventuall0001",
      name: "Live",
      rooms: [{ name: "Stage", kind: "stage" }],
    };
    const [a, b] = [await concurrent.outcome("create_event", stageEvent), await sequential.outcome("create_event", stageEvent)];
    assert.deepEqual(a, b);
    assert.equal(a.ok, true, JSON.stringify(a.error));
    const calls = twoHundredCalls({ eventId: a.value.event.id, roomId: a.value.rooms[0].id });
    const together = await concurrent.post("/concurrent", { calls });
    assert.equal(together.peakInFlight, 200, "all 200 were in flight at once");
    const oneByOne = await sequential.post("/many", { calls });
    for (const [i, outcome] of oneByOne.outcomes.entries()) {
      assert.equal(outcome.ok, true, `call ${i} (${calls[i].op}): ${JSON.stringify(outcome.error)}`);
    }
    assert.deepEqual(together.outcomes, oneByOne.outcomes);
    assert.equal((await concurrent.stats()).inFlight, 0);
    const sessions = oneByOne.outcomes.filter((o, i) => calls[i].op === "start_recording" && o.value.created);
    assert.ok(sessions.length >= 20, "recordings were started across both databases");
    console.log(`concurrency: 200 in flight (${sessions.length} cross-database starts) equal one by one`);
  } finally {
    await concurrent.close();
    await sequential.close();
  }
});
