// The latency Worker (setting c, latency_bench.mjs): the example Worker as it
// ships (js-shim/example/worker.mjs, under /ours) beside a Drizzle Worker
// written as a team would write one (under /drizzle): the session token
// validated with Drizzle, then the operation with Drizzle (drizzle_ops.mjs).
// Each side has its own local D1 holding the same data. Every D1 round trip —
// a batch(), or a statement run alone — waits `x-bench-delay-ms` first (the
// distance to a D1 primary or replica) and is counted; the response carries
// the count in `x-bench-round-trips`.
import snapshot from "bench-snapshot";
import { and, eq, gt, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

import example from "../../js-shim/example/worker.mjs";
import { intercepted } from "./d1_intercept.mjs";
import { drizzleSchema } from "./drizzle_schema.mjs";
import { drizzleOperations } from "./drizzle_ops.mjs";

const schema = drizzleSchema(snapshot);
const encoder = new TextEncoder();

// Each round trip waits first, then calls D1; with `clock`, the time of both
// is added to it (workerd's Date.now() moves only when I/O completes, so
// these are the waits, not the CPU between them).
const delayed = (d1, trip, clock) =>
  intercepted(d1, async (call) => {
    const t0 = Date.now();
    await trip();
    const t1 = Date.now();
    const result = await call();
    clock.waited += t1 - t0;
    clock.d1 += Date.now() - t1;
    return result;
  });

function failure(code, message) {
  return { ok: false, error: { code, message } };
}
const STATUS = { not_found: 404, forbidden: 403, unauthenticated: 401, invalid_input: 400 };
const respond = (outcome) =>
  new Response(JSON.stringify(outcome), {
    status: outcome.ok ? 200 : (STATUS[outcome.error.code] ?? 500),
    headers: { "content-type": "application/json; charset=utf-8" },
  });

async function sha256Hex(text) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The session check a Drizzle codebase would write: one guarded UPDATE that
// stamps last_seen_at on a live session and returns its user.
async function drizzleUser(db, request) {
  const match = /^Bearer[ ]+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) return null;
  const now = Math.floor(Date.now() / 1000);
  const s = schema.sessions;
  const [session] = await db
    .update(s)
    .set({ lastSeenAt: now })
    .where(and(eq(s.tokenHash, await sha256Hex(match[1])), isNull(s.revokedAt), gt(s.expiresAt, now)))
    .returning({ userId: s.userId });
  return session?.userId ?? null;
}

// The routes of the example Worker that the bench times, the Drizzle way.
async function drizzleRoute(request, d1) {
  const db = drizzle(d1, { schema });
  const ops = drizzleOperations(db, schema);
  const url = new URL(request.url);
  const events = /^\/v1\/events\/([^/]+)$/.exec(url.pathname);
  const named = /^\/v1\/([a-z_]+)$/.exec(url.pathname);
  let op;
  let input;
  if (events && request.method === "GET") {
    op = "get_event";
    input = { id: decodeURIComponent(events[1]) };
  } else if (named && request.method === "POST" && ops[named[1]]) {
    op = named[1];
    input = await request.json();
  } else {
    return respond(failure("not_found", `no route for ${request.method} ${url.pathname}`));
  }
  const user = await drizzleUser(db, request);
  if (!user) return respond(failure("unauthenticated", "session is unknown, expired or revoked"));
  // As the example Worker does: the caller is the actor; `can` answers for the caller.
  if (op === "can") input = { ...input, userId: user };
  else input = { ...input, actorUserId: user };
  try {
    return respond({ ok: true, value: await ops[op](input) });
  } catch (e) {
    const code = STATUS[e?.message] ? e.message : "internal";
    return respond(failure(code, code === "internal" ? String(e?.stack ?? e) : code));
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const side = url.pathname.split("/")[1];
    const delayMs = Number(request.headers.get("x-bench-delay-ms") ?? 0);
    let roundTrips = 0;
    const trip = () => {
      roundTrips++;
      return delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : null;
    };
    const inner = new Request(new URL(url.pathname.slice(side.length + 1) + url.search, url), request);
    const clock = { start: Date.now(), waited: 0, d1: 0 };
    let response;
    if (side === "ours") {
      response = await example.fetch(inner, { DB: delayed(env.OURS_DB, trip, clock), WORKERS_DB: delayed(env.WORKERS_DB, trip, clock) });
    } else if (side === "drizzle") {
      response = await drizzleRoute(inner, delayed(env.DRIZZLE_DB, trip, clock));
    } else {
      return new Response("not found", { status: 404 });
    }
    const headers = new Headers(response.headers);
    headers.set("x-bench-round-trips", String(roundTrips));
    // ms waiting the delays, ms inside D1 calls, ms from the request's arrival to the last I/O.
    headers.set("x-bench-clock", `${clock.waited},${clock.d1},${Date.now() - clock.start}`);
    return new Response(response.body, { status: response.status, headers });
  },
};
