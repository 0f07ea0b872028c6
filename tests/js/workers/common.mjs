// What the test Workers share: ONE wasm instance of the test build per isolate
// (as a production Worker keeps one), replaced only when the shim has retired
// it, and JSON responses.
import wasm from "../../../build/wasm/eventuall_testing.wasm"; // the test build (determinism hook)
import { EventuallInstance } from "../../../js-shim/eventuall.mjs";

let instance = null;
let generation = 0; // how many instances this isolate has created

export function shared() {
  if (!instance || instance.broken) {
    instance = new EventuallInstance(wasm);
    generation++;
  }
  return instance;
}

export const instanceGeneration = () => generation;

// The next shared() creates a new instance.
export function dropShared() {
  instance = null;
}

export function json(value, status = 200) {
  return new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json" } });
}
