// Writes the fuzzer's seed corpus: one file per step of the shared fixtures,
// "<operation>\n<input JSON>", with "$N..." references resolved against the
// native run's outcomes (so tokens and ids are real ones), and two per
// operation from its contract (its required fields and all its fields,
// sampled: tests/js/contract_fields.mjs), so an operation no fixture calls
// yet is fuzzed too; and a libFuzzer dictionary of what the contracts declare
// (operation names, field names, enum values).
//
//   node fuzz/make_corpus.mjs <corpus-dir> [dictionary-file]
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { contractWords, inputSchemas, sampleInput } from "../tests/js/contract_fields.mjs";
import { fixtureFiles, loadFixture, resolveReferences, runFixtureNatively } from "../tests/js/support.mjs";

const [corpusDir, dictionaryFile] = process.argv.slice(2);
if (!corpusDir) {
  console.error("usage: node fuzz/make_corpus.mjs <corpus-dir> [dictionary-file]");
  process.exit(2);
}
mkdirSync(corpusDir, { recursive: true });

const words = contractWords();
let written = 0;
for (const file of fixtureFiles()) {
  const fixture = loadFixture(file);
  const { outcomes } = runFixtureNatively(file);
  for (const [i, step] of fixture.steps.entries()) {
    const input = resolveReferences(step.input ?? {}, outcomes.slice(0, i));
    const name = `${path.basename(file, ".json")}_${String(i).padStart(3, "0")}`;
    writeFileSync(path.join(corpusDir, name), `${step.op}\n${JSON.stringify(input)}`);
    written++;
  }
}
for (const [op, schema] of inputSchemas()) {
  for (const [kind, input] of [["required", sampleInput(schema)], ["all", sampleInput(schema, { all: true })]]) {
    writeFileSync(path.join(corpusDir, `contract_${op}_${kind}`), `${op}\n${JSON.stringify(input)}`);
    written++;
  }
}
if (dictionaryFile) {
  const escape = (w) => w.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  writeFileSync(dictionaryFile, [...words].sort().map((w) => `"${escape(w)}"`).join("\n") + "\n");
}
console.log(`make_corpus: ${written} seeds in ${corpusDir}`);
