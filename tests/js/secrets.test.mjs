// Through the wasm (over sql.js and in workerd over local D1): session tokens,
// login tokens and API keys are stored only as hashes. Every column of every
// table of both databases is read back after issuing them; none holds a
// secret in clear, nor its bytes in hex or base64.
import test from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { miniflareTarget, sqlJsTarget } from "./support.mjs";

function leakedForms(secret) {
  // "evk_" / "evs_" + the token (+ "." + the user id it names, which is no secret).
  const token = /^ev[ks]_/.test(secret) ? secret.slice(4, 4 + 43) : secret;
  const bytes = Buffer.from(token, "base64url");
  assert.equal(bytes.length, 32, `a secret of 32 random bytes: ${secret}`);
  const base64 = bytes.toString("base64");
  return [secret, token, bytes.toString("hex"), bytes.toString("hex").toUpperCase(), base64, base64.replace(/=+$/, ""), bytes.toString("latin1")];
}

// Every value of every table, as text (blobs as hex and latin1).
async function storedText(db) {
  const { results: tables } = await db
    .prepare("SELECT name AS name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' ORDER BY name")
    .all();
  const parts = [];
  for (const { name } of tables) {
    const { results } = await db.prepare(`SELECT * FROM "${name}"`).all();
    for (const row of results) {
      for (const v of Object.values(row)) {
        if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
          const b = Buffer.from(v instanceof ArrayBuffer ? v : v.buffer);
          parts.push(b.toString("hex"), b.toString("latin1"));
        } else if (Array.isArray(v)) {
          const b = Buffer.from(v);
          parts.push(b.toString("hex"), b.toString("latin1"));
        } else {
          parts.push(String(v));
        }
      }
    }
  }
  return parts.join("\n");
}

for (const makeTarget of [sqlJsTarget, miniflareTarget]) {
  test(`secrets are stored only as hashes (wasm, ${makeTarget.name})`, async () => {
    const target = await makeTarget();
    try {
      const signedUp = await target.outcome("sign_up", { email: "secrets@example.com", name: "Secrets" });
      const userId = signedUp.value.user.id;
      const secrets = [signedUp.value.verification.token];
      secrets.push((await target.outcome("issue_email_verification", { userId })).value.token);
      for (let i = 0; i < 3; i++) {
        secrets.push((await target.outcome("create_session", { userId })).value.token);
        secrets.push((await target.outcome("issue_login_token", { userId })).value.token);
        secrets.push((await target.outcome("create_api_key", { userId, name: `k${i}`, scopes: ["events:read"] })).value.key);
      }
      assert.equal((await target.outcome("validate_session", { token: secrets[2] })).ok, true);
      assert.equal((await target.outcome("consume_login_token", { token: secrets[3] })).ok, true);
      assert.equal((await target.outcome("authenticate_api_key", { key: secrets[4] })).ok, true);

      const stored = (await storedText(target.webapp)) + "\n" + (await storedText(target.workers));
      for (const secret of secrets) {
        for (const form of leakedForms(secret)) assert.ok(!stored.includes(form), `${secret} is stored as ${form}`);
        const hash = createHash("sha256").update(secret).digest("hex");
        assert.ok(stored.includes(hash), `the hash of ${secret} is what is stored`);
      }
    } finally {
      await target.close();
    }
  });
}
