// Recording at scale in workerd (Miniflare, local D1): the workload of
// recording_bench.mjs (100,000 stage events paired into clips, 10,000 log
// lines) driven through the test Worker, one request per operation. Round
// trips are not counted here (the batches run inside workerd); they are the
// same as in the sql.js run. Needs js-shim/dist/eventuall.wasm.
//
//   node bench/recording_workerd_bench.mjs
import { performance } from "node:perf_hooks";

import { miniflareTarget } from "../tests/js/support.mjs";
import { benchStageEvents, EVENTS_PER_CALL } from "./recording_workload.mjs";

const OWNER = "seedusereventuall0000001";
const target = await miniflareTarget();

async function call(op, input) {
  const outcome = await target.outcome(op, input);
  if (!outcome.ok) throw new Error(`${op}: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}
async function timed(label, fn) {
  const start = performance.now();
  const result = await fn();
  console.log(`| ${label(result)} | ${(performance.now() - start).toFixed(0)} |`);
}

try {
  const { event, rooms } = await call("create_event", {
    actorUserId: OWNER,
    accountId: "seedaccounteventuall0001",
    name: "Bench",
    rooms: [{ name: "Stage" }],
  });
  const { session } = await call("start_recording", { actorUserId: OWNER, eventId: event.id, roomId: rooms[0].id, idempotencyKey: "bench" });
  const events = benchStageEvents(1000);
  console.log("| measurement (wasm in workerd, local D1) | wall (ms) |");
  console.log("|---|---|");
  await timed(
    () => "append 100000 stage events (10 calls of <= 10000)",
    async () => {
      for (let i = 0; i < events.length; i += EVENTS_PER_CALL) {
        await call("append_stage_events", { sessionId: session.id, events: events.slice(i, i + EVENTS_PER_CALL) });
      }
    },
  );
  for (const run of ["first", "regenerated"]) {
    await timed(
      (r) => `generate_clips over ${r.stageEvents} events -> ${r.clips} clips (${run}, ${r.statements + 3} statements)`,
      () => call("generate_clips", { sessionId: session.id, mergeGapMs: 1000 }),
    );
  }
  const lines = Array.from({ length: 10_000 }, (_, i) => ({
    level: i % 50 ? "info" : "warn",
    layer: i % 3 === 0 ? "coordinator" : "service",
    message: `segment ${i} uploaded`,
    context: { segment: i },
  }));
  for (const run of [1, 2]) {
    await timed(
      (r) => `append_logs of 10,000 lines (run ${run}, ${r.statements + 1} statements)`,
      () => call("append_logs", { sessionId: session.id, lines }),
    );
  }
} finally {
  await target.close();
}
