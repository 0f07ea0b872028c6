// Setting (c): production latency. The example Worker as it ships beside a
// Drizzle Worker written as a team would (latency_worker.mjs), in one workerd,
// each over its own local D1 with the same data, every D1 round trip delayed
// by 5 ms and by 25 ms (what a nearby D1 replica and a distant primary cost).
// Per HTTP route: median ms per request (timed from node around each request:
// the delays are real waits, not CPU) and D1 round trips per request. Sides
// interleaved within one run (measure.mjs); nothing asserts a time.
//
//   node bench/js/latency_bench.mjs [--smoke] [--json out.json]
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";

import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { bundleWorker } from "./d1_bench.mjs";
import { inputsNeeded, measure, median } from "./measure.mjs";
import { MIGRATIONS, ROOT } from "./snapshot.mjs";
import { EVENT, OPERATIONS, ORGANIZER, SPEAKER, loadBaseData, signature } from "./workload.mjs";

export const PLANS = {
  full: { warmup: 3, rounds: 7, chunk: 5, delays: [5, 25] },
  smoke: { warmup: 1, rounds: 1, chunk: 1, delays: [5] },
};
const SIDES = ["ours", "drizzle"];
const OWNER = "seedusereventuall0000001"; // the seed account's owner
const T0 = 1767225600;

// The example Worker's routes the bench times: each with the user whose
// session calls it (the Worker takes the actor from the session).
const without = (input, ...keys) => Object.fromEntries(Object.entries(input).filter(([k]) => !keys.includes(k)));
export const ROUTES = {
  create_event: { user: OWNER, request: (i) => ["POST", "/v1/create_event", without(OPERATIONS.create_event(i), "actorUserId")] },
  grant_access: { user: ORGANIZER, request: (i) => ["POST", "/v1/grant_access", without(OPERATIONS.grant_access(i), "actorUserId")] },
  get_event: { user: SPEAKER, request: () => ["GET", `/v1/events/${EVENT}`, null] },
  can: { user: SPEAKER, request: () => ["POST", "/v1/can", OPERATIONS.can()] },
  list_participants: { user: ORGANIZER, request: () => ["POST", "/v1/list_participants", without(OPERATIONS.list_participants(), "actorUserId")] },
};
export const ROUTE_LABELS = {
  create_event: "POST /v1/create_event (3 rooms)",
  grant_access: "POST /v1/grant_access",
  get_event: "GET /v1/events/:id",
  can: "POST /v1/can",
  list_participants: "POST /v1/list_participants (50 of 112)",
};

// One session per user, the same row in both sides' databases.
const tokens = Object.fromEntries([OWNER, ORGANIZER, SPEAKER].map((u) => [u, `evs_${randomBytes(32).toString("base64url")}.${u}`]));
async function insertSessions(d1) {
  const statements = Object.entries(tokens).map(([user, token], i) =>
    d1
      .prepare("INSERT INTO sessions (id, user_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(`benchsession${String(i).padStart(12, "0")}`, user, createHash("sha256").update(token).digest("hex"), T0 + 10 * 365 * 86400, T0),
  );
  await d1.batch(statements);
}

/** The latency Worker in a Miniflare, both sides' databases loaded (`users` pool users each). */
async function startLatencyWorker(poolSize) {
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: path.join(ROOT, "bench/js/latency_worker.js"), contents: await bundleWorker("bench/js/latency_worker.mjs", ["*.wasm"]) },
      { type: "CompiledWasm", path: path.join(ROOT, "bench/dist/eventuall.wasm"), contents: readFileSync(path.join(ROOT, "js-shim/dist/eventuall.wasm")) },
    ],
    compatibilityDate: "2025-01-01",
    d1Databases: { OURS_DB: "latency-ours", DRIZZLE_DB: "latency-drizzle", WORKERS_DB: "latency-workers" },
  });
  for (const binding of ["OURS_DB", "DRIZZLE_DB"]) {
    const d1 = await mf.getD1Database(binding);
    await applyMigrations(d1, path.join(MIGRATIONS, "webapp"));
    await applySeed(d1, path.join(MIGRATIONS, "seeds/account_user.sql"));
    await loadBaseData(d1, poolSize);
    await insertSessions(d1);
  }
  await applyMigrations(await mf.getD1Database("WORKERS_DB"), path.join(MIGRATIONS, "workers"));

  const send = async (side, op, i, delayMs) => {
    const route = ROUTES[op];
    const [method, route_path, body] = route.request(i);
    const response = await mf.dispatchFetch(`http://bench/${side}${route_path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[route.user]}`, "x-bench-delay-ms": String(delayMs), ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const [waited, d1, inWorker] = (response.headers.get("x-bench-clock") ?? "").split(",").map(Number);
    return { status: response.status, text, roundTrips: Number(response.headers.get("x-bench-round-trips")), clock: { waited, d1, inWorker } };
  };
  // An empty request (the example Worker's /health, no D1): what every request
  // costs here before any side's work (Miniflare's dispatch, a loaded machine).
  const emptyRequest = async () => {
    const empty = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await (await mf.dispatchFetch("http://bench/ours/health")).text();
      empty.push(performance.now() - t0);
    }
    return median(empty);
  };
  return { mf, send, emptyRequest };
}

export async function runLatencyBench(plan) {
  const perDelay = inputsNeeded(plan) + 1;
  const { mf, send, emptyRequest } = await startLatencyWorker(perDelay * plan.delays.length + 1);
  try {
    const result = { delays: {}, overheadMs: await emptyRequest() };
    for (const [d, delayMs] of plan.delays.entries()) {
      const base = d * perDelay;
      // Input 0 of this delay: each side once; both must succeed and agree.
      const roundTrips = {};
      for (const op of Object.keys(ROUTES)) {
        roundTrips[op] = {};
        const seen = {};
        for (const side of SIDES) {
          const r = await send(side, op, base, delayMs);
          const outcome = JSON.parse(r.text);
          if (!outcome.ok) throw new Error(`${side} ${op}: ${r.status} ${r.text.slice(0, 500)}`);
          seen[side] = JSON.stringify(signature(op, outcome.value));
          roundTrips[op][side] = r.roundTrips;
        }
        if (seen.ours !== seen.drizzle) throw new Error(`sides disagree on ${op}: ${JSON.stringify(seen)}`);
      }
      const runChunk = async (side, op, first, count) => {
        const t0 = performance.now();
        for (let i = first; i < first + count; i++) {
          const r = await send(side, op, base + 1 + i, delayMs);
          if (r.status !== 200) throw new Error(`${side} ${op}: ${r.status} ${r.text.slice(0, 500)}`);
        }
        return performance.now() - t0;
      };
      const micros = await measure(SIDES, runChunk, { ...plan, ops: Object.keys(ROUTES) });
      result.delays[delayMs] = { micros, roundTrips };
    }
    return result;
  } finally {
    await mf.dispose();
  }
}

/**
 * Where a request's time goes (--breakdown): `count` requests per side and
 * route at one delay, sides alternating; per side the median time from node
 * (ms) and the means of that time, of the delays' real waits and of the D1
 * calls after them as the Worker's clock sees them, and of the rest (node's
 * time less the Worker's from arrival to its last I/O: the HTTP hop and the
 * CPU after the last I/O). With an empty request's time beside it.
 */
export async function runBreakdown(delayMs, count, ops = Object.keys(ROUTES)) {
  const { mf, send, emptyRequest } = await startLatencyWorker(count + 2);
  try {
    const out = { delayMs, emptyMs: await emptyRequest(), routes: {} };
    for (const op of ops) {
      const samples = Object.fromEntries(SIDES.map((side) => [side, { total: [], waited: [], d1: [], rest: [] }]));
      for (const side of SIDES) await send(side, op, 0, delayMs); // warm
      for (let i = 1; i <= count; i++) {
        for (const side of i % 2 ? SIDES : [...SIDES].reverse()) {
          const t0 = performance.now();
          const r = await send(side, op, i, delayMs);
          const total = performance.now() - t0;
          if (r.status !== 200) throw new Error(`${side} ${op}: ${r.status} ${r.text.slice(0, 300)}`);
          const s = samples[side];
          s.total.push(total);
          s.waited.push(r.clock.waited);
          s.d1.push(r.clock.d1);
          s.rest.push(total - r.clock.inWorker);
        }
      }
      // Means: the Worker's clock counts whole ms, so only an average over many requests resolves less.
      const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
      out.routes[op] = Object.fromEntries(
        SIDES.map((side) => [side, { medianTotal: median(samples[side].total), ...Object.fromEntries(Object.entries(samples[side]).map(([k, v]) => [k, mean(v)])) }]),
      );
    }
    return out;
  } finally {
    await mf.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes("--breakdown")) {
  const at = process.argv.indexOf("--breakdown");
  const count = Number(process.argv[at + 1]) || 40;
  const delayMs = process.argv.includes("--delay") ? Number(process.argv[process.argv.indexOf("--delay") + 1]) : 25;
  const b = await runBreakdown(delayMs, count);
  console.log(`delay ${delayMs} ms, ${count} requests per side and route; empty request ${b.emptyMs.toFixed(2)} ms; ms (means but medianTotal)`);
  console.table(
    Object.fromEntries(
      Object.entries(b.routes).flatMap(([op, sides]) => SIDES.map((side) => [`${op} ${side}`, Object.fromEntries(Object.entries(sides[side]).map(([k, v]) => [k, Number(v.toFixed(2))]))])),
    ),
  );
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const smoke = process.argv.includes("--smoke");
  const figures = await runLatencyBench(smoke ? PLANS.smoke : PLANS.full);
  for (const [delay, f] of Object.entries(figures.delays)) {
    console.log(`delay ${delay} ms per D1 round trip`);
    console.table(Object.fromEntries(Object.entries(f.micros).map(([op, m]) => [op, { ours_ms: m.ours / 1000, drizzle_ms: m.drizzle / 1000, ratio: m.ours / m.drizzle, trips: `${f.roundTrips[op].ours} / ${f.roundTrips[op].drizzle}` }])));
  }
  if (process.argv.includes("--json")) writeFileSync(process.argv[process.argv.indexOf("--json") + 1], JSON.stringify(figures, null, 2));
}
