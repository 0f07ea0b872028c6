// Node: load eventuall.wasm as a WebAssembly.Module, the form a Worker gets
// from `import wasm from "./eventuall.wasm"`.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const DEFAULT_WASM_PATH = fileURLToPath(new URL("../dist/eventuall.wasm", import.meta.url));

export function loadEventuallModule(path = process.env.EVENTUALL_WASM ?? DEFAULT_WASM_PATH) {
  return new WebAssembly.Module(readFileSync(path));
}
