// Writes a copy of a wasm module without some of its exports:
//   node scripts/strip_wasm_export.mjs <in.wasm> <out.wasm> <export name>...
// The release eventuall.wasm is the test build minus its test hook
// (CMakeLists.txt): one link instead of two. Only the export section changes;
// the function stays as dead code that nothing outside the module can reach.
import { readFileSync, writeFileSync } from "node:fs";

function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return { value, at };
    shift += 7;
  }
}

function u32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

export function stripExports(bytes, names) {
  const drop = new Set(names);
  const header = bytes.subarray(0, 8);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== "\0asm") throw new Error("not a wasm module");
  const parts = [header];
  const dropped = new Set();
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const size = readU32(bytes, at + 1);
    const start = size.at;
    const end = start + size.value;
    if (id !== 7) {
      parts.push(bytes.subarray(at, end));
    } else {
      const count = readU32(bytes, start);
      let p = count.at;
      const kept = [];
      for (let i = 0; i < count.value; i++) {
        const from = p;
        const length = readU32(bytes, p);
        const name = new TextDecoder().decode(bytes.subarray(length.at, length.at + length.value));
        p = length.at + length.value + 1; // name, then the kind byte
        p = readU32(bytes, p).at; // the index
        if (drop.has(name)) dropped.add(name);
        else kept.push(bytes.subarray(from, p));
      }
      const body = [...u32(kept.length), ...kept.flatMap((k) => [...k])];
      parts.push(Uint8Array.from([7, ...u32(body.length), ...body]));
    }
    at = end;
  }
  for (const name of drop) if (!dropped.has(name)) throw new Error(`the module exports no ${name}`);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) out.set(part, offset), (offset += part.length);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output, ...names] = process.argv.slice(2);
  if (!input || !output || !names.length) {
    console.error("usage: node scripts/strip_wasm_export.mjs <in.wasm> <out.wasm> <export name>...");
    process.exit(2);
  }
  writeFileSync(output, stripExports(readFileSync(input), names));
}
