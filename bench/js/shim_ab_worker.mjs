// The Worker of shim_ab.mjs --workerd: two builds of the JS shim ("shim-a",
// "shim-b", aliased by the bundler) over one wasm, each on D1 answers recorded
// once (as bench_worker.mjs's /replay does).
import wasm from "./eventuall.wasm";
import * as a from "shim-a";
import * as b from "shim-b";
import { replaying } from "./d1_intercept.mjs";
import { OPERATIONS } from "./workload.mjs";

const shims = { a, b };
const instances = {};
const recordings = new Map();

const recording = (d1, answers) => ({
  prepare: (s) => d1.prepare(s),
  batch: async (st) => {
    const r = await d1.batch(st);
    answers.push(r);
    return r;
  },
});

export default {
  async fetch(request, env) {
    try {
      const url = new URL(request.url);
      const body = await request.json();
      if (url.pathname === "/record") {
        const { op, first } = body;
        const keys = [];
        for (const [k, s] of Object.entries(shims)) {
          instances[k] ??= new s.EventuallInstance(wasm);
          const value = await s.createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { instance: instances[k] }).call(op, OPERATIONS[op](first + keys.length));
          keys.push(JSON.stringify(Object.keys(value ?? {})));
        }
        if (keys[0] !== keys[1]) throw new Error(`${op}: the shims answer differently: ${keys}`);
        const answers = [];
        await a.createEventuall({ webapp: recording(env.DB, answers), workers: recording(env.WORKERS_DB, answers) }, { instance: instances.a }).call(op, OPERATIONS[op](first + 2));
        recordings.set(op, answers);
        return Response.json({ answers: answers.length });
      }
      if (url.pathname === "/replay") {
        const { side, op, first, count } = body;
        const replay = replaying(recordings.get(op) ?? []);
        const ev = shims[side].createEventuall({ webapp: replay, workers: replay }, { instance: instances[side] });
        for (let i = first; i < first + count; i++) await ev.call(op, OPERATIONS[op](i));
        return Response.json({ ok: true });
      }
      if (url.pathname === "/create") {
        // What createEventuall costs a request (it runs once per request).
        const { side, count } = body;
        instances[side] ??= new shims[side].EventuallInstance(wasm);
        let methods = 0;
        for (let i = 0; i < count; i++) {
          const ev = shims[side].createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { instance: instances[side] });
          if (typeof ev.can === "function") methods++;
        }
        return Response.json({ methods });
      }
      return new Response("not found", { status: 404 });
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 });
    }
  },
};
