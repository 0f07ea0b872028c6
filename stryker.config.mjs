// Mutation testing of js-shim with Stryker (scripts/reliability.sh mutate).
// One area per run (EVENTUALL_MUTATE_AREA), each with the suites that test
// it: Stryker's command runner runs that command once per mutant, so it is
// the fast, node-only part of the suites (no workerd). EVENTUALL_MUTATE_LINES
// narrows the area to a line range (the sample CI can afford).
const AREAS = {
  cache: {
    file: "js-shim/example/participants_cache.mjs",
    command: 'node --test --test-name-pattern="fake KV" tests/js/participants_cache.test.mjs',
  },
  shim: {
    file: "js-shim/eventuall.mjs",
    command: "node --test --test-concurrency=1 tests/js/shim.test.mjs tests/js/bad_input.test.mjs",
  },
  migrations: {
    file: "js-shim/node/migrations.mjs",
    command: 'node --test --test-name-pattern="splitSqlStatements|applyMigrations" tests/js/migrations.test.mjs',
  },
};

const area = AREAS[process.env.EVENTUALL_MUTATE_AREA ?? "cache"];
if (!area) throw new Error(`EVENTUALL_MUTATE_AREA: one of ${Object.keys(AREAS).join(", ")}`);
const lines = process.env.EVENTUALL_MUTATE_LINES;

export default {
  testRunner: "command",
  commandRunner: { command: area.command },
  coverageAnalysis: "off",
  // Mutants are switched by an environment variable in instrumented copies
  // of the files; in place, so that the suites find the build/ outputs.
  inPlace: true,
  // Else Stryker writes "// @ts-nocheck" into every script while it runs.
  disableTypeChecks: false,
  concurrency: Number(process.env.EVENTUALL_JOBS ?? 2),
  timeoutMS: 60000,
  reporters: ["clear-text", "json"],
  jsonReporter: { fileName: `build/mutation/${process.env.EVENTUALL_MUTATE_AREA ?? "cache"}.json` },
  tempDirName: "build/stryker-tmp",
  mutate: [lines ? `${area.file}:${lines}` : area.file],
};
