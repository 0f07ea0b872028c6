// The shim's text outcomes (callText, outcomeText): the core's JSON text as it
// is, never parsed, for a Worker to send as a Response body. It must be the
// text of the parsed outcome exactly, list pages that SQLite writes included.
import test from "node:test";
import assert from "node:assert/strict";

import { createEventuall, EventuallError } from "../../js-shim/eventuall.mjs";
import { sqlJsTarget } from "./support.mjs";

const ADMIN = "seedusereventuall0000001";
const ACCOUNT = "seedaccounteventuall0001";

test("outcomeText and callText are the parsed outcome's JSON text, byte for byte", async () => {
  const target = await sqlJsTarget();
  const ev = createEventuall({ webapp: target.webapp, workers: target.workers }, { instance: target.instance });
  const { event } = await ev.call("create_event", { actorUserId: ADMIN, accountId: ACCOUNT, name: "Plain", rooms: [{ name: "Stage" }] });
  await ev.call("create_ticket", { actorUserId: ADMIN, eventId: event.id, name: "General", price: 0, currency: "USD" });
  // Stored as no input would be accepted: the strings SQLite must escape as the core does.
  const hostile = 'q"uote \\ \n\t\u0001\u001f \u007f é 😀 \u2028 </script>';
  for (const table of ["events", "rooms", "tickets"]) {
    const column = table === "events" ? "id" : "event_id";
    await target.webapp.prepare(`UPDATE ${table} SET name = ? WHERE ${column} = ?`).bind(hostile, event.id).run();
  }
  const calls = [
    ["get_event", { actorUserId: ADMIN, id: event.id }],
    ["list_tickets", { actorUserId: ADMIN, eventId: event.id }],
    ["list_participants", { actorUserId: ADMIN, eventId: event.id, limit: 1 }],
    ["list_account_events", { actorUserId: ADMIN, accountId: ACCOUNT, limit: 1 }],
  ];
  for (const [op, input] of calls) {
    const text = await ev.outcomeText(op, input);
    const outcome = await ev.outcome(op, input);
    assert.equal(outcome.ok, true, op);
    assert.equal(text, JSON.stringify(outcome), op);
    assert.equal(await ev.callText(op, input), JSON.stringify(outcome.value), op);
  }
});

test("a failure's text is the error outcome; callText throws it as an EventuallError", async () => {
  const target = await sqlJsTarget();
  const ev = createEventuall({ webapp: target.webapp, workers: target.workers }, { instance: target.instance });
  const missing = { actorUserId: ADMIN, id: "nosuchevent0000000000000" };
  const text = await ev.outcomeText("get_event", missing);
  assert.deepEqual(JSON.parse(text), await ev.outcome("get_event", missing));
  assert.equal(JSON.parse(text).error.code, "not_found");
  await assert.rejects(ev.callText("get_event", missing), (e) => e instanceof EventuallError && e.code === "not_found");
  // Refused in the shim before the core runs: the same shape, keys as the core orders them.
  const huge = await ev.outcomeText("get_event", { id: "x".repeat(3 << 20) });
  assert.match(huge, /^\{"error":\{"code":"invalid_input","message":"input larger than \d+ bytes"\},"ok":false\}$/);
  await assert.rejects(ev.callText("get_event", { id: "x".repeat(3 << 20) }), { code: "invalid_input" });
});
