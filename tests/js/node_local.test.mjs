// The node local-dev path: sql.js files, migrated once, persisted across opens.
import test from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { openLocalEventuall } from "../../js-shim/node/local.mjs";
import { wasm } from "./support.mjs";

test("local databases persist, and migrations and seed apply once", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "eventuall-local-"));
  try {
    const first = await openLocalEventuall({ dir, module: wasm() });
    assert.ok(first.applied.includes("0000_initial.sql"));
    assert.ok(first.applied.includes("0001_rbac_defaults.sql"));
    const { user } = await first.ev.signUp({ email: "local@example.com", name: "Local" });
    const actorUserId = "seedusereventuall0000001";
    const { event } = await first.ev.createEvent({ actorUserId, accountId: "seedaccounteventuall0001", name: "Local event" });
    await first.save();

    const second = await openLocalEventuall({ dir, module: wasm() });
    assert.deepEqual(second.applied, [], "nothing pending the second time");
    assert.equal((await second.ev.getUser({ id: user.id })).user.email, "local@example.com");
    assert.equal((await second.ev.getEvent({ actorUserId, id: event.id })).event.name, "Local event");
    const accounts = await second.webapp.prepare("SELECT count(*) AS n FROM accounts").first("n");
    assert.equal(accounts, 4, "three seeded accounts (seed is idempotent) and one personal account");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
