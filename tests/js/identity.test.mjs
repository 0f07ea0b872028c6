// Identity through the wasm build in workerd (Miniflare, local D1) and over
// sql.js: one-time login tokens and email verification tokens under concurrent
// consumers, concurrent first sign-ins of one provider identity, and secrets
// that never leave the core.
import test from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { miniflareTarget, sqlJsTarget } from "./support.mjs";

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

// Runs calls all in flight at once: in workerd through the Worker's /concurrent
// route (one isolate, one wasm instance); over sql.js with Promise.all.
async function concurrently(target, calls) {
  if (target.post) {
    const { outcomes, peakInFlight } = await target.post("/concurrent", { calls });
    assert.equal(peakInFlight, calls.length, "every call was in flight at once");
    return outcomes;
  }
  return Promise.all(calls.map((c) => target.outcome(c.op, c.input)));
}

async function first(db, sql, ...params) {
  return db.prepare(sql).bind(...params).first();
}

for (const makeTarget of [miniflareTarget, sqlJsTarget]) {
  test(`${makeTarget.name}: under 50 concurrent consume attempts exactly one succeeds`, async () => {
    const target = await makeTarget();
    try {
      const issued = await target.outcome("issue_login_token", { userId: "seedusermomentus00000001" });
      assert.equal(issued.ok, true, JSON.stringify(issued));
      const { token } = issued.value;
      const calls = Array.from({ length: 50 }, () => ({ op: "consume_login_token", input: { token } }));
      const outcomes = await concurrently(target, calls);
      const winners = outcomes.filter((o) => o.ok);
      assert.equal(winners.length, 1, "exactly one consumer");
      assert.equal(winners[0].value.user.id, "seedusermomentus00000001");
      for (const o of outcomes.filter((o) => !o.ok)) assert.equal(o.error.code, "unauthenticated");
      const row = await first(target.webapp, "SELECT token_hash AS h, consumed_at AS c FROM mcp_login_tokens");
      assert.equal(row.h, sha256(token), "only the hash is stored");
      assert.notEqual(row.c, null);
      if (target.stats) assert.equal((await target.stats()).inFlight, 0);
    } finally {
      await target.close();
    }
  });

  test(`${makeTarget.name}: under 50 concurrent verify_email calls one wins and claims once`, async () => {
    const target = await makeTarget();
    try {
      const owner = "seedusereventuall0000001";
      const created = await target.outcome("create_event", { actorUserId: owner, accountId: "seedaccounteventuall0001", name: "Verify race" });
      assert.equal(created.ok, true, JSON.stringify(created));
      const eventId = created.value.event.id;
      const invited = await target.outcome("invite", { actorUserId: owner, email: "racer@example.com", eventId, roleId: "roleattendee000000000000" });
      assert.equal(invited.ok, true, JSON.stringify(invited));
      const up = await target.outcome("sign_up", { email: "racer@example.com", name: "Racer" });
      assert.equal(up.ok, true, JSON.stringify(up));
      assert.equal(await first(target.webapp, "SELECT count(*) AS n FROM access_grants").then((r) => r.n), 0, "sign_up claims nothing");
      const { token } = up.value.verification;
      const row = await first(target.webapp, "SELECT token_hash AS h FROM email_verifications");
      assert.equal(row.h, sha256(token), "only the hash is stored");
      const outcomes = await concurrently(target, Array.from({ length: 50 }, () => ({ op: "verify_email", input: { token } })));
      const winners = outcomes.filter((o) => o.ok);
      assert.equal(winners.length, 1, "exactly one consumer");
      assert.equal(winners[0].value.claimedGrants, 1);
      for (const o of outcomes.filter((o) => !o.ok)) assert.equal(o.error.code, "unauthenticated");
      assert.equal(await first(target.webapp, "SELECT count(*) AS n FROM access_grants").then((r) => r.n), 1);
      if (target.stats) assert.equal((await target.stats()).inFlight, 0);
    } finally {
      await target.close();
    }
  });

  test(`${makeTarget.name}: concurrent first sign-ins of one identity create one user`, async () => {
    const target = await makeTarget();
    try {
      const input = { provider: "google", providerAccountId: "g-race", email: "race@example.com", name: "Racer" };
      const calls = Array.from({ length: 20 }, () => ({ op: "sign_in_with_provider", input }));
      const outcomes = await concurrently(target, calls);
      for (const o of outcomes) assert.equal(o.ok, true, JSON.stringify(o.error));
      assert.equal(outcomes.filter((o) => o.value.created).length, 1, "one creator");
      assert.equal(new Set(outcomes.map((o) => o.value.user.id)).size, 1, "one user for everyone");
      const counts = await first(
        target.webapp,
        "SELECT (SELECT count(*) FROM users WHERE email = ?) AS users, (SELECT count(*) FROM user_providers) AS links, " +
          "(SELECT count(*) FROM accounts WHERE kind = 'personal') AS personal",
        "race@example.com",
      );
      assert.deepEqual({ ...counts }, { users: 1, links: 1, personal: 1 });
    } finally {
      await target.close();
    }
  });

  test(`${makeTarget.name}: tokens and keys are returned once and stored only as hashes`, async () => {
    const target = await makeTarget();
    try {
      const userId = "seedusereventuall0000001";
      const session = await target.outcome("create_session", { userId });
      const apiKey = await target.outcome("create_api_key", { userId, name: "ci", scopes: ["events:read"] });
      assert.equal(session.ok && apiKey.ok, true);
      // The secret, then the user it names (the core checks both in the operation's batch).
      assert.match(session.value.token, new RegExp(`^evs_[A-Za-z0-9_-]{43}\\.${userId}$`));
      assert.match(apiKey.value.key, new RegExp(`^evk_[A-Za-z0-9_-]{43}\\.${userId}$`));
      assert.equal(apiKey.value.apiKey.keyPrefix, apiKey.value.key.slice(0, 12));

      const reads = [
        await target.outcome("validate_session", { token: session.value.token }),
        await target.outcome("authenticate_api_key", { key: apiKey.value.key, scope: "events:read" }),
        await target.outcome("list_api_keys", { userId }),
      ];
      for (const r of reads) {
        assert.equal(r.ok, true, JSON.stringify(r));
        const text = JSON.stringify(r);
        assert.ok(!/hash/i.test(text), `no hash field in ${text}`);
        assert.ok(!text.includes(session.value.token) && !text.includes(apiKey.value.key), "no secret echoed");
      }
      const stored = await first(
        target.webapp,
        "SELECT (SELECT token_hash FROM sessions) AS s, (SELECT key_hash FROM mcp_api_keys) AS k",
      );
      assert.equal(stored.s, sha256(session.value.token));
      assert.equal(stored.k, sha256(apiKey.value.key));

      const forbidden = await target.outcome("authenticate_api_key", { key: apiKey.value.key, scope: "orders:write" });
      assert.equal(forbidden.error.code, "forbidden");
      const malformed = await target.outcome("validate_session", { token: "x".repeat(10_000) });
      assert.equal(malformed.error.code, "invalid_input");
      const wrongType = await target.outcome("consume_login_token", { token: { $blob: "AAAA" } });
      assert.equal(wrongType.error.code, "invalid_input");
    } finally {
      await target.close();
    }
  });
}
