// What the operations' contracts (wasm/ops/contract.h) say of their inputs,
// for the suites that attack them (hostile.test.mjs, bad_input.test.mjs) and
// the fuzzer's seeds (fuzz/make_corpus.mjs): every declared field, its JSON
// Schema, and a sample input of the declared shape. Read from the core itself
// (`eventuall contracts openapi`, the native CLI the fixtures run on), so an
// operation added later is attacked, field by field, without editing them.
import { execFileSync } from "node:child_process";

import { NATIVE_CLI } from "./support.mjs";

let schemas;

// Operation name -> the JSON Schema of its input (an object schema).
export function inputSchemas() {
  if (!schemas) {
    const document = JSON.parse(execFileSync(NATIVE_CLI, ["contracts", "openapi"], { encoding: "utf8", maxBuffer: 64 << 20 }));
    schemas = new Map();
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      if (name.endsWith("_input")) schemas.set(name.slice(0, -"_input".length), schema);
    }
  }
  return schemas;
}

export function inputSchema(op) {
  const schema = inputSchemas().get(op);
  if (!schema) throw new Error(`no contract for operation ${op}`);
  return schema;
}

function types(schema) {
  return [schema?.type ?? []].flat();
}

function objectItems(schema) {
  return types(schema).includes("array") && types(schema.items).includes("object") ? schema.items : null;
}

// Free text: a string that is neither an id, an email, a date, a permission nor an enum.
export function isText(schema) {
  return types(schema).includes("string") && !schema.enum && !schema.pattern && !schema.format;
}

export function isString(schema) {
  return types(schema).includes("string");
}

// Every declared field of an input schema: its top-level properties, and one
// level into objects and into the first element of arrays of objects, each
// as {path, schema} (path: ["rooms", 0, "name"]).
export function declaredFields(schema) {
  const fields = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    fields.push({ path: [key], schema: property });
    const items = objectItems(property);
    if (items) {
      for (const [inner, s] of Object.entries(items.properties ?? {})) fields.push({ path: [key, 0, inner], schema: s });
    } else if (types(property).includes("object")) {
      for (const [inner, s] of Object.entries(property.properties ?? {})) fields.push({ path: [key, inner], schema: s });
    }
  }
  return fields;
}

const SAMPLE_ID = "seedusereventuall0000001";

// A value of the declared shape (not necessarily naming anything that
// exists); all: objects with every field, arrays with one element.
export function sampleValue(schema, { all = false } = {}) {
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum.find((v) => v !== null);
  const type = types(schema).find((t) => t !== "null");
  switch (type) {
    case "string":
      if (schema.format === "email") return "sample@example.com";
      if (schema.format === "date") return "2000-01-01";
      if (schema.pattern?.startsWith("^[a-z][0-9a-z]{23}")) return SAMPLE_ID;
      if (schema.pattern) return "event.view";
      return "x".repeat(Math.max(1, schema.minLength ?? 1));
    case "integer":
    case "number":
      return Math.max(1, schema.minimum ?? 1);
    case "boolean":
      return false;
    case "array":
      return schema.minItems || all ? [sampleValue(schema.items ?? {}, { all })] : [];
    case "object":
      return sampleInput(schema, { all });
    default:
      return {};
  }
}

// An input of the declared shape: the required fields (all: every field), sampled.
export function sampleInput(schema, { all = false } = {}) {
  const input = {};
  for (const key of all ? Object.keys(schema.properties ?? {}) : schema.required ?? []) {
    input[key] = sampleValue(schema.properties[key], { all });
  }
  return input;
}

export function getPath(value, path) {
  return path.reduce((node, key) => node?.[key], value);
}

// A copy of input with the field at path replaced (undefined: removed). A
// parent the input lacks (an optional object, an empty array of objects) is
// first filled with a sample of its declared shape, so every declared field
// can be reached.
export function withPath(input, path, replacement, schema = null) {
  const copy = structuredClone(input);
  let node = copy;
  let at = schema;
  for (const [i, key] of path.slice(0, -1).entries()) {
    const next = typeof key === "number" ? at?.items : at?.properties?.[key];
    const missing = node[key] === null || typeof node[key] !== "object";
    if (missing) {
      if (!next) throw new Error(`no declared parent for ${path.join(".")}`);
      node[key] = typeof path[i + 1] === "number" ? [] : sampleValue(next);
    }
    if (typeof path[i + 1] === "number" && node[key].length <= path[i + 1]) node[key].push(sampleValue(next.items));
    node = node[key];
    at = next;
  }
  if (replacement === undefined) delete node[path.at(-1)];
  else node[path.at(-1)] = replacement;
  return copy;
}

// The words of every contract (operation names, field names, enum values),
// for the fuzzer's dictionary.
export function contractWords() {
  const words = new Set();
  const visit = (schema) => {
    if (!schema || typeof schema !== "object") return;
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      words.add(`"${key}"`);
      visit(property);
    }
    for (const value of schema.enum ?? []) if (typeof value === "string") words.add(`"${value}"`);
    visit(schema.items);
  };
  for (const [op, schema] of inputSchemas()) {
    words.add(op);
    visit(schema);
  }
  return words;
}
