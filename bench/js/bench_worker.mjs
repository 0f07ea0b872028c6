// The bench Worker (setting b): runs each side's operations inside workerd
// against Miniflare's local D1 and counts the D1 round trips each side makes.
// Bundled by d1_bench.mjs (esbuild) with Drizzle; the snapshot the Drizzle
// schema is derived from is aliased in as "bench-snapshot".
import snapshot from "bench-snapshot";
import wasm from "./eventuall.wasm";
// A second build of the core, timed as side ours_b (d1_bench.mjs --compare);
// the same module unless compared.
import wasmB from "./eventuall_b.wasm";
import { drizzle } from "drizzle-orm/d1";

import { createEventuall, EventuallInstance } from "../../js-shim/eventuall.mjs";
import { intercepted, replaying } from "./d1_intercept.mjs";
import { drizzleSchema } from "./drizzle_schema.mjs";
import { drizzleOperations } from "./drizzle_ops.mjs";
import { d1Executor, floorOperations } from "./floor_ops.mjs";
import { OPERATIONS, SIDE_DATABASES, signature } from "./workload.mjs";

const schema = drizzleSchema(snapshot);
let instance = null;
let instanceB = null;
const counts = { ours: 0, drizzle: 0, floor: 0, ours_b: 0 };
const d1ms = { ours: 0, drizzle: 0, floor: 0, ours_b: 0 };

// Counted, and timed on the Worker's clock (d1_bench.mjs --split).
const counting = (d1, side) =>
  intercepted(d1, async (call) => {
    counts[side]++;
    const t0 = Date.now();
    const r = await call();
    d1ms[side] += Date.now() - t0;
    return r;
  });

// Recording and replaying D1: one run of an operation against the real local
// D1 is recorded (every answer, in order); replaying those answers runs the
// side's own code with no database at all, so timing it gives the data
// layer's CPU per operation inside workerd.
const recordings = new Map(); // "side/op" -> answers in order

const recording = (d1, answers) =>
  intercepted(d1, async (call) => {
    const answer = await call();
    answers.push(answer);
    return answer;
  });


function makeSides(webapp, env) {
  instance ??= new EventuallInstance(wasm);
  const ev = createEventuall({ webapp: webapp.ours, workers: env.WORKERS_DB }, { instance });
  const drizzleOps = drizzleOperations(drizzle(webapp.drizzle, { schema }), schema);
  const floorOps = floorOperations(d1Executor(webapp.floor));
  instanceB ??= new EventuallInstance(wasmB);
  const evB = createEventuall({ webapp: webapp.ours_b, workers: env.WORKERS_DB }, { instance: instanceB });
  return {
    ours: (op, input) => ev.call(op, input),
    ours_b: (op, input) => evB.call(op, input),
    drizzle: (op, input) => drizzleOps[op](input),
    floor: (op, input) => floorOps[op](input),
  };
}

const sides = (env) =>
  makeSides(
    {
      ours: counting(env.OURS_DB, "ours"),
      drizzle: counting(env.DRIZZLE_DB, "drizzle"),
      floor: counting(env.FLOOR_DB, "floor"),
      ours_b: env.OURS_B_DB && counting(env.OURS_B_DB, "ours_b"),
    },
    env,
  );

// One side only, over the given binding.
const sideOver = (side, binding, env) => makeSides({ ours: binding, drizzle: binding, floor: binding, ours_b: binding }, env)[side];

const json = (value) => Response.json(value);

export default {
  async fetch(request, env) {
    try {
      return await route(request, env);
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 });
    }
  },
};

async function route(request, env) {
  {
    const url = new URL(request.url);
    const body = request.method === "POST" ? await request.json() : {};
    switch (url.pathname) {
      case "/run": {
        // Inputs first..first+count-1 of op on one side, one after another.
        const run = sides(env)[body.side];
        const before = counts[body.side];
        const msBefore = d1ms[body.side];
        const t0 = Date.now();
        let last = null;
        for (let i = body.first; i < body.first + body.count; i++) last = await run(body.op, OPERATIONS[body.op](i));
        return json({
          roundTrips: counts[body.side] - before,
          // ms inside D1 calls, and ms of the whole run, on the Worker's clock.
          d1Ms: d1ms[body.side] - msBefore,
          allMs: Date.now() - t0,
          signature: last && signature(body.op, last),
        });
      }
      case "/record": {
        const answers = [];
        const database = body.side === "ours_b" ? env.OURS_B_DB : env[SIDE_DATABASES[body.side]];
        await sideOver(body.side, recording(database, answers), env)(body.op, OPERATIONS[body.op](body.first));
        recordings.set(`${body.side}/${body.op}`, answers);
        return json({ answers: answers.length });
      }
      case "/replay": {
        const run = sideOver(body.side, replaying(recordings.get(`${body.side}/${body.op}`)), env);
        for (let i = body.first; i < body.first + body.count; i++) await run(body.op, OPERATIONS[body.op](i));
        return json({ ok: true });
      }
      case "/instantiate": {
        // Module cost: instances of the imported (already compiled) module.
        for (let i = 0; i < body.count; i++) new EventuallInstance(wasm);
        return json({ ok: true });
      }
      case "/memory":
        return json({ memoryBytes: instance ? instance.memoryBytes() : null });
      default:
        return new Response("not found", { status: 404 });
    }
  }
}
