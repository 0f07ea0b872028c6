// Type of `import wasm from "eventuall-data/eventuall.wasm"`: wrangler (and Miniflare's
// CompiledWasm rule) give the module, compiled ahead of time; Workers cannot compile wasm
// from bytes at run time.
declare const module: WebAssembly.Module;
export default module;
