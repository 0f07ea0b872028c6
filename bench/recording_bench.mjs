// Recording at scale through the wasm build over sql.js (node, no workerd):
// the same workload as recording_bench.cpp — clip generation for one session
// of 100,000 stage events and one append of 10,000 log lines — with the D1
// round trips (batch() calls) and statements counted at the binding.
//
//   node bench/recording_bench.mjs [participants | --smoke]
// (--smoke: 10 participants, 1,000 events and 1,000 log lines, for CI.)
//
// A program, not a test: figures go to BENCHMARKS.md; nothing asserts time.
import { performance } from "node:perf_hooks";

import { openLocalEventuall } from "../js-shim/node/local.mjs";
import { benchStageEvents, EVENTS_PER_CALL } from "./recording_workload.mjs";

const smoke = process.argv[2] === "--smoke";
const participants = smoke ? 10 : Number(process.argv[2] ?? 1000);
const LOG_LINES = smoke ? 1_000 : 10_000;
const OWNER = "seedusereventuall0000001";

const local = await openLocalEventuall();
const { ev } = local;

// Counts what reaches each database: one batch() is one D1 round trip.
// sqlMs: wall time inside batch() (sql.js running the SQL); the rest is the
// wasm core and the shim.
const counts = { batches: 0, statements: 0, sqlMs: 0 };
for (const db of [local.webapp, local.workers]) {
  const batch = db.batch.bind(db);
  db.batch = async (statements) => {
    counts.batches += 1;
    counts.statements += statements.length;
    const start = performance.now();
    try {
      return await batch(statements);
    } finally {
      counts.sqlMs += performance.now() - start;
    }
  };
}
async function measure(label, fn) {
  counts.batches = 0;
  counts.statements = 0;
  counts.sqlMs = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  console.log(
    `| ${label(result)} | ${wall.toFixed(0)} / ${((used.user + used.system) / 1000).toFixed(0)} | ${counts.sqlMs.toFixed(0)} | ${counts.batches} | ${counts.statements} |`,
  );
  return result;
}

const { event, rooms } = await ev.createEvent({
  actorUserId: OWNER,
  accountId: "seedaccounteventuall0001",
  name: "Bench",
  rooms: [{ name: "Stage" }],
});
const { session } = await ev.startRecording({ actorUserId: OWNER, eventId: event.id, roomId: rooms[0].id, idempotencyKey: "bench" });

const events = benchStageEvents(participants);

console.log("| measurement (wasm + sql.js) | wall / CPU (ms) | of which in sql.js (ms) | D1 round trips | statements |");
console.log("|---|---|---|---|---|");
await measure(
  () => `append ${events.length} stage events (${Math.ceil(events.length / EVENTS_PER_CALL)} calls of <= ${EVENTS_PER_CALL})`,
  async () => {
    for (let i = 0; i < events.length; i += EVENTS_PER_CALL) {
      await ev.appendStageEvents({ sessionId: session.id, events: events.slice(i, i + EVENTS_PER_CALL) });
    }
  },
);
for (const run of ["first", "regenerated"]) {
  await measure(
    (r) => `generate_clips over ${r.stageEvents} events -> ${r.clips} clips (${run})`,
    () => ev.generateClips({ sessionId: session.id, mergeGapMs: 1000 }),
  );
}
const lines = Array.from({ length: LOG_LINES }, (_, i) => ({
  level: i % 50 ? "info" : "warn",
  layer: i % 3 === 0 ? "coordinator" : "service",
  message: `segment ${i} uploaded`,
  context: { segment: i },
}));
for (const run of [1, 2]) {
  await measure(
    () => `append_logs of ${LOG_LINES.toLocaleString("en")} lines (run ${run})`,
    () => ev.appendLogs({ sessionId: session.id, lines }),
  );
}
