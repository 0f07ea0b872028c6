// A Worker for the JS test suites, run by Miniflare in workerd against local
// D1. It keeps ONE wasm instance for the isolate (as a production Worker does)
// and creates the per-request API from env on every request.
import { createEventuall } from "../../../js-shim/eventuall.mjs";
import { dropShared, instanceGeneration, json, shared } from "./common.mjs";

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const body = request.method === "POST" ? await request.json() : null;
    const ev = createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { instance: shared() });
    switch (url.pathname) {
      case "/call":
        return json(await ev.outcome(body.op, body.rawInput ?? body.input));
      case "/many": {
        // One call after another in this instance; a trap is reported per call
        // (the shim then retires the instance, which /stats shows).
        const outcomes = [];
        for (const c of body.calls) {
          try {
            outcomes.push(await ev.outcome(c.op, c.rawInput ?? c.input));
          } catch (e) {
            outcomes.push({ trapped: String(e?.message ?? e) });
          }
        }
        return json({ outcomes, generation: instanceGeneration() });
      }
      case "/concurrent": {
        // Every call starts before any finishes: all are in flight at once in
        // this one instance, each awaiting env.DB.batch between its steps.
        let peak = 0;
        const pending = body.calls.map((c) => {
          const p = ev.outcome(c.op, c.input);
          peak = Math.max(peak, shared().inFlight());
          return p;
        });
        return json({ outcomes: await Promise.all(pending), peakInFlight: peak });
      }
      case "/deterministic":
        shared().setDeterministicForTesting(body.seed, body.startMs);
        return json({ ok: true });
      case "/stats":
        return json({
          inFlight: shared().inFlight(),
          generation: instanceGeneration(),
          memoryBytes: shared().memoryBytes(),
          operations: shared().operationNames(),
        });
      case "/reset":
        dropShared();
        return json({ ok: true });
      default:
        return json({ error: "not found" }, 404);
    }
  },
};
