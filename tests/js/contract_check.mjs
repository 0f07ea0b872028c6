// Checks outcomes against the operations' declared answers. The schemas are
// the ones the core's contracts render into the committed OpenAPI document
// (js-shim/example/openapi.mjs, `eventuall contracts openapi-module`), so the JS
// runs are held to the same declaration as the native ones
// (bindings/sqlite/fixture.cpp). A small JSON Schema subset: what
// contract::json_schema emits for answers (type, enum, const, properties,
// required, additionalProperties: false, items, $ref to a component, anyOf of
// a reference and null).
import OPENAPI from "../../js-shim/example/openapi.mjs";

function outputSchema(operation) {
  return OPENAPI.components.schemas[`${operation}_output`];
}

function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

function matches(type, value) {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

// The first place `value` departs from `schema`, as "path: problem", or null.
export function schemaMismatch(schema, value, path = "$") {
  if (schema.$ref) schema = OPENAPI.components.schemas[schema.$ref.replace("#/components/schemas/", "")];
  if (schema.anyOf) {
    // A nullable reference ({anyOf: [{$ref}, {type: "null"}]}): the first alternative's problem.
    const problems = schema.anyOf.map((alternative) => schemaMismatch(alternative, value, path));
    return problems.includes(null) ? null : problems[0];
  }
  if (schema.const !== undefined && value !== schema.const) return `${path}: must be ${JSON.stringify(schema.const)}`;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matches(t, value))) return `${path}: must be ${types.join(" or ")}`;
  }
  if (schema.enum && !schema.enum.includes(value)) return `${path}: must be one of ${schema.enum.join(", ")}`;
  if (Array.isArray(value) && schema.items) {
    for (let i = 0; i < value.length; i++) {
      const inner = schemaMismatch(schema.items, value[i], `${path}[${i}]`);
      if (inner) return inner;
    }
  }
  if (typeOf(value) === "object" && schema.properties) {
    for (const key of schema.required ?? []) {
      if (!(key in value)) return `${path}.${key}: is missing`;
    }
    for (const [key, v] of Object.entries(value)) {
      const inner = schema.properties[key];
      if (!inner) {
        if (schema.additionalProperties === false) return `${path}.${key}: is not declared`;
        if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
          const problem = schemaMismatch(schema.additionalProperties, v, `${path}.${key}`);
          if (problem) return problem;
        }
        continue;
      }
      const problem = schemaMismatch(inner, v, `${path}.${key}`);
      if (problem) return problem;
    }
  }
  return null;
}

// Mismatches of a run's outcomes: ["step 3 (create_event): $.event.status: ..."].
export function outcomeMismatches(steps, outcomes) {
  const failures = [];
  outcomes.forEach((outcome, i) => {
    const operation = steps[i]?.op;
    if (!outcome?.ok || !operation) return;
    const schema = outputSchema(operation);
    const problem = schema ? schemaMismatch(schema, outcome.value) : "no declared output";
    if (problem) failures.push(`step ${i} (${operation}): ${problem}`);
  });
  return failures;
}
