// Turns one bench run's figures into the markdown of BENCHMARKS.md's
// generated section, and replaces that section in place.
//
//   node bench/js/report.mjs <dir with sqljs.json, d1.json, module.json, native_*.md, wasm_*.md, workerd_*.md> [BENCHMARKS.md]
// Without a target file the markdown goes to stdout.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const BEGIN = "<!-- bench.sh: generated from here -->";
export const END = "<!-- bench.sh: generated up to here -->";

// Operations in the order; a row whose operation is not built yet says so.
const ROWS = [
  ["sign_up", "sign up"],
  ["create_event", "create event with 3 rooms"],
  ["grant_access", "grant access"],
  ["get_event", "get event with rooms"],
  ["can", "permission check"],
  ["ingest_order", "ingest an order"],
  ["list_participants", "list participants (50 of 112)"],
];

// Below 1 µs is below what a request-timed chunk resolves: shown as such, no ratio.
const us = (v) => (v < 1 ? "< 1" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const ratio = (a, b) => (a < 1 || b < 1 ? "—" : (a / b).toFixed(2));
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

function sideBySide(micros, roundTrips) {
  const head = ["operation", "ours (µs)", "Drizzle (µs)", "floor (µs)", "ours / Drizzle", "ours / floor", "Drizzle / floor"];
  // Setting (a) also times the floor through the sql.js D1 adapter.
  const overAdapter = Object.values(micros).some((m) => m.floor_d1 !== undefined);
  if (overAdapter) head.push("floor over the D1 adapter (µs)", "ours / that");
  if (roundTrips) head.push("D1 round trips: ours / Drizzle / floor");
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const [op, label] of ROWS) {
    const m = micros[op];
    if (!m) {
      lines.push(`| ${label} | not measured yet |${" |".repeat(head.length - 2)}`);
      continue;
    }
    const cells = [label, us(m.ours), us(m.drizzle), us(m.floor), ratio(m.ours, m.drizzle), ratio(m.ours, m.floor), ratio(m.drizzle, m.floor)];
    if (overAdapter) cells.push(us(m.floor_d1), ratio(m.ours, m.floor_d1));
    if (roundTrips) cells.push(`${roundTrips[op].ours} / ${roundTrips[op].drizzle} / ${roundTrips[op].floor}`);
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

// Setting (c): HTTP routes of the example Worker vs a Drizzle Worker, each D1
// round trip delayed (latency_bench.mjs).
const ROUTE_ROWS = [
  ["create_event", "POST /v1/create_event (3 rooms)"],
  ["grant_access", "POST /v1/grant_access"],
  ["get_event", "GET /v1/events/:id"],
  ["can", "POST /v1/can"],
  ["list_participants", "POST /v1/list_participants (50 of 112)"],
];
export function latencySection(latency) {
  const delays = Object.keys(latency.delays);
  const over = latency.overheadMs ?? 0;
  const head = ["route", ...delays.flatMap((d) => [`ours / Drizzle (ms) at ${d} ms`, `ratio at ${d} ms`, `ratio less an empty request`]), "D1 round trips: ours / Drizzle"];
  const lines = [
    "### (c) production latency: the example Worker vs a Drizzle Worker, every D1 round trip delayed",
    "",
    "Median ms per HTTP request, timed from node (`bench/js/latency_bench.mjs`): the example Worker as it ships (the",
    "session checked by the core) and a Drizzle Worker that validates the session with Drizzle, then runs the operation",
    `with Drizzle; each D1 round trip waits the delay first. An empty request (\`/health\`) took ${over.toFixed(1)} ms here.`,
    "",
    `| ${head.join(" | ")} |`,
    `|${head.map(() => "---").join("|")}|`,
  ];
  for (const [op, label] of ROUTE_ROWS) {
    const cells = [label];
    for (const d of delays) {
      const m = latency.delays[d].micros[op];
      const less = (v) => Math.max(0, v / 1000 - over);
      cells.push(`${(m.ours / 1000).toFixed(1)} / ${(m.drizzle / 1000).toFixed(1)}`, (m.ours / m.drizzle).toFixed(2), (less(m.ours) / less(m.drizzle)).toFixed(2));
    }
    const trips = latency.delays[delays[0]].roundTrips[op];
    cells.push(`${trips.ours} / ${trips.drizzle}`);
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

export function render(dir, { date = new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC" } = {}) {
  const read = (name) => JSON.parse(readFileSync(path.join(dir, name), "utf8"));
  const sqljs = read("sqljs.json");
  const d1 = read("d1.json");
  const mod = read("module.json");
  const out = [
    BEGIN,
    `Figures of one \`scripts/bench.sh\` run (${date}); the ratios are within one run, sides interleaved.`,
    "",
    "### (a) node: wasm over sql.js vs Drizzle's `sql-js` driver vs the hand-written floor",
    "",
    "Median µs per operation; one process, one sql.js (the same SQLite build) for every side. The floor runs on raw",
    "sql.js; ours, and the floor once more in the last columns, go through the D1 adapter (`js-shim/node/d1_sqljs.mjs`).",
    "",
    sideBySide(sqljs),
    "",
    "### (b) workerd: Miniflare's local D1, our shim vs Drizzle's D1 driver vs raw D1",
    "",
    `Median µs per operation, timed from node around requests of many operations each (an empty request, ${d1.overheadMs.toFixed(2)} ms, subtracted).`,
    "",
    sideBySide(d1.micros, d1.roundTrips),
    "",
    "The same sides' own CPU per operation inside workerd: each operation's D1 answers recorded once, then replayed",
    "with no database in the loop (what counts against the Workers CPU limit; D1's time is not CPU time).",
    "",
    sideBySide(d1.cpuMicros),
    "",
  ];
  if (existsSync(path.join(dir, "latency.json"))) out.push(latencySection(read("latency.json")), "");
  const natives = readdirSync(dir).filter((f) => /^native_.*\.md$/.test(f)).sort();
  for (const file of natives) {
    out.push(`### Native: \`${file.replace(/^native_|\.md$/g, "")}\``, "", readFileSync(path.join(dir, file), "utf8").trim(), "");
  }
  // Bulk programs over the wasm build (bench/*_bench.mjs), beside their native twins.
  const wasms = readdirSync(dir).filter((f) => /^wasm_.*\.md$/.test(f)).sort();
  for (const file of wasms) {
    out.push(`### wasm over sql.js (node): \`${file.replace(/^wasm_|\.md$/g, "")}\``, "", readFileSync(path.join(dir, file), "utf8").trim(), "");
  }
  // Programs over the wasm in workerd (bench/js/*_bench.mjs run by bench.sh).
  const workerds = readdirSync(dir).filter((f) => /^workerd_.*\.md$/.test(f)).sort();
  for (const file of workerds) {
    out.push(`### wasm in workerd (local D1): \`${file.replace(/^workerd_|\.md$/g, "")}\``, "", readFileSync(path.join(dir, file), "utf8").trim(), "");
  }
  out.push(
    "### Module cost",
    "",
    "| | |",
    "|---|---|",
    `| \`eventuall.wasm\` | ${kb(mod.rawBytes)} raw, ${kb(mod.gzipBytes)} gzip |`,
    `| instantiation (\`new WebAssembly.Instance\` of the imported module + \`_initialize\`) | ${us(d1.instantiateMicros)} µs in workerd, ${us(mod.nodeInstantiateMicros)} µs in node |`,
    `| wasm linear memory after ${mod.operations.toLocaleString("en")} operations (node, sql.js) | ${kb(mod.memoryBytesAfter)} (${kb(mod.initialMemoryBytes)} at instantiation; ${mod.inFlightAfter} left in flight) |`,
    `| wasm linear memory in workerd after the bench above | ${kb(d1.memoryBytes)} |`,
    END,
  );
  return out.join("\n");
}

/** Replaces the generated section of `file` (appends it if missing). */
export function writeInto(file, markdown) {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const next = start >= 0 && end > start ? text.slice(0, start) + markdown + text.slice(end + END.length) : `${text.trimEnd()}\n\n${markdown}\n`;
  writeFileSync(file, next);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, target] = process.argv.slice(2);
  const markdown = render(dir);
  if (target) writeInto(target, markdown);
  else console.log(markdown);
}
