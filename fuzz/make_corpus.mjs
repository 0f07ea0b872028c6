// Writes the fuzzer's seed corpus from the shared fixtures: one file per step,
// "<operation>\n<input JSON>", with "$N..." references resolved against the
// native run's outcomes (so tokens and ids are real ones), and a libFuzzer
// dictionary of the operation names and input keys.
//
//   node fuzz/make_corpus.mjs <corpus-dir> [dictionary-file]
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { fixtureFiles, loadFixture, resolveReferences, runFixtureNatively } from "../tests/js/support.mjs";

const [corpusDir, dictionaryFile] = process.argv.slice(2);
if (!corpusDir) {
  console.error("usage: node fuzz/make_corpus.mjs <corpus-dir> [dictionary-file]");
  process.exit(2);
}
mkdirSync(corpusDir, { recursive: true });

const words = new Set();
function collectKeys(value) {
  if (Array.isArray(value)) value.forEach(collectKeys);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      words.add(`"${k}"`);
      collectKeys(v);
    }
  }
}

let written = 0;
for (const file of fixtureFiles()) {
  const fixture = loadFixture(file);
  const { outcomes } = runFixtureNatively(file);
  for (const [i, step] of fixture.steps.entries()) {
    const input = resolveReferences(step.input ?? {}, outcomes.slice(0, i));
    words.add(step.op);
    collectKeys(input);
    const name = `${path.basename(file, ".json")}_${String(i).padStart(3, "0")}`;
    writeFileSync(path.join(corpusDir, name), `${step.op}\n${JSON.stringify(input)}`);
    written++;
  }
}
if (dictionaryFile) {
  const escape = (w) => w.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  writeFileSync(dictionaryFile, [...words].sort().map((w) => `"${escape(w)}"`).join("\n") + "\n");
}
console.log(`make_corpus: ${written} seeds in ${corpusDir}`);
