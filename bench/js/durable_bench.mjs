// Throughput of live-event recording writes: one WORKERS_DB for every event ("1 D1") against
// one RecordingObject per event ("N objects", js-shim/durable), in Miniflare. N events record
// at once; a round is, for every event at the same time, one append_stage_events and one
// append_logs (bench/js/durable_workload.mjs). Node times each round around the one request
// that runs all of its calls in flight (workerd's clocks stand still while it computes).
//
// Local workerd is ONE process on one machine: every object and the local D1 share its
// threads and its disk, so this measures the per-call cost of each layout, not Cloudflare's
// parallelism (objects on Cloudflare spread over machines; one D1 is one writer). See
// docs/scale.md for the production arithmetic.
//
//   node bench/js/durable_bench.mjs [--smoke] [--write BENCHMARKS.md]
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

import { applyMigrations, applySeed } from "../../js-shim/node/migrations.mjs";
import { durableMiniflare } from "../../tests/js/durable_support.mjs";
import { MIGRATIONS } from "../../tests/js/support.mjs";
import { clipsOf, createEvents, runRound, startSessions } from "./durable_workload.mjs";

const PLANS = {
  full: { events: [10, 100, 250], rounds: 5, participants: 50, lines: 50, capacity: { rounds: 3, participants: 5_000, lines: 10_000 } },
  smoke: { events: [10], rounds: 1, participants: 5, lines: 5, capacity: { rounds: 1, participants: 50, lines: 100 } },
};
const BEGIN = "<!-- durable_bench.mjs: generated from here -->";
const END = "<!-- durable_bench.mjs: generated up to here -->";

const { values: args } = parseArgs({ options: { smoke: { type: "boolean" }, write: { type: "string" } } });
const plan = args.smoke ? PLANS.smoke : PLANS.full;

async function measure(events, layout, { rounds, participants, lines } = plan) {
  const mf = durableMiniflare();
  try {
    const webapp = await mf.getD1Database("DB");
    await applyMigrations(webapp, path.join(MIGRATIONS, "webapp"));
    await applyMigrations(await mf.getD1Database("WORKERS_DB"), path.join(MIGRATIONS, "workers"));
    await applySeed(webapp, path.join(MIGRATIONS, "seeds/account_user.sql"));
    const created = await createEvents(mf, events);
    const startedAt = performance.now();
    const sessions = await startSessions(mf, layout, created);
    const startMs = performance.now() - startedAt;
    const sizes = { participants, lines };
    let ms = 0;
    let rows = 0;
    let calls = 0;
    const outcomes = [];
    // Round 0 warms the isolate (and, for objects, their first use); it is not counted.
    for (let round = 0; round <= rounds; round++) {
      const r = await runRound(mf, layout, sessions, round, sizes);
      const failed = r.outcomes.find((o) => !o.ok);
      if (failed) throw new Error(`${layout}: ${JSON.stringify(failed.error)}`);
      outcomes.push(r.outcomes);
      if (round === 0) continue;
      ms += r.ms;
      rows += r.stageEvents + r.logLines;
      calls += r.calls;
    }
    const clips = await clipsOf(mf, layout, sessions);
    return { events, layout, startMs, ms, rows, calls, outcomes, clips };
  } finally {
    await mf.dispose();
  }
}

async function comparePair(events, sizes) {
  const pair = {};
  for (const layout of ["d1", "durable"]) pair[layout] = await measure(events, layout, sizes);
  if (JSON.stringify(pair.d1.outcomes) !== JSON.stringify(pair.durable.outcomes) || JSON.stringify(pair.d1.clips) !== JSON.stringify(pair.durable.clips)) {
    throw new Error(`${events} events: the layouts' outcomes differ`);
  }
  return pair;
}

const results = [];
for (const events of plan.events) results.push(await comparePair(events, plan));
// One event alone, with calls as large as the core takes: what one writer (the D1, or the
// event's one object) does with nothing else running.
const capacity = await comparePair(1, plan.capacity);

const fmt = (n) => Math.round(n).toLocaleString("en-US");
const lines = [
  `${plan.rounds} rounds per run; a round: per event, append_stage_events of ${plan.participants * 2} stage events and append_logs of ${plan.lines} lines, all events' calls in flight at once. Rows/s = stage events + log lines written per second of node wall time. Outcomes of the two layouts compared equal in every run.`,
  "",
  "| events | layout | first start_recording of every event (ms) | round (ms, mean) | calls/s | rows/s | event-rounds/s |",
  "|---:|---|---:|---:|---:|---:|---:|",
];
for (const pair of results) {
  for (const layout of ["d1", "durable"]) {
    const r = pair[layout];
    const seconds = r.ms / 1000;
    lines.push(
      `| ${r.events} | ${layout === "d1" ? "1 D1" : `${r.events} objects`} | ${fmt(r.startMs)} | ${fmt(r.ms / plan.rounds)} | ${fmt(r.calls / seconds)} | ${fmt(r.rows / seconds)} | ${fmt((r.events * plan.rounds) / seconds)} |`,
    );
  }
}
lines.push(
  "",
  `One event alone, ${plan.capacity.rounds} rounds of one append_stage_events of ${fmt(plan.capacity.participants * 2)} stage events and one append_logs of ${fmt(plan.capacity.lines)} lines (the largest calls the core takes), the two in flight at once:`,
  "",
  "| layout | round (ms, mean) | stage events/s | log lines/s | rows/s |",
  "|---|---:|---:|---:|---:|",
);
for (const layout of ["d1", "durable"]) {
  const r = capacity[layout];
  const seconds = r.ms / 1000;
  const c = plan.capacity;
  lines.push(
    `| ${layout === "d1" ? "1 D1" : "its object"} | ${fmt(r.ms / c.rounds)} | ${fmt((c.participants * 2 * c.rounds) / seconds)} | ${fmt((c.lines * c.rounds) / seconds)} | ${fmt(r.rows / seconds)} |`,
  );
}
const table = lines.join("\n");
console.log(table);

if (args.write) {
  const file = args.write;
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${BEGIN} … ${END} section`);
  const stamp = new Date().toISOString().slice(0, 16).replace("T", " ");
  writeFileSync(file, `${text.slice(0, start)}${BEGIN}\nRun of ${stamp} UTC (\`node bench/js/durable_bench.mjs --write BENCHMARKS.md\`):\n\n${table}\n${text.slice(end)}`);
  console.log(`durable_bench: ${file} updated`);
}
