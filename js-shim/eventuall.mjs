// Eventuall data layer for Cloudflare Workers: a thin ESM shim over the C++
// core compiled to WebAssembly.
//
//   import wasm from "eventuall/eventuall.wasm";           // a WebAssembly.Module
//   const ev = createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { module: wasm });
//   const { user } = await ev.signUp({ email, name });
//
// Call createEventuall per request: D1 bindings (and D1 sessions) belong to a
// request and must never be cached across requests. The wasm instance is
// cached per module and shared by all requests of the isolate; each operation
// is an independent coroutine inside it, so concurrent requests interleave
// safely while each awaits env.DB.batch(...).

// The package version, the wasm build and the migrations its schema needs
// (written beside the wasm by scripts/write_manifest.mjs).
export { build, requiredMigrations, version } from "./dist/manifest.mjs";
export { PERMISSIONS, PLATFORM_ROLES } from "./types/contracts.mjs";

// The method name of a core operation: sign_up -> signUp. Methods are derived
// from the operations the wasm exports, so the two never drift apart.
export function methodName(operation) {
  return operation.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

const LOGICAL_NAMES = Object.freeze({ webapp: "webapp", workers: "workers" });
const MAX_REMEMBERED_DATABASES = 1024;

export class EventuallError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "EventuallError";
    this.code = code;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// One instantiated module. Exports are called synchronously; a batch is
// awaited between calls, never during one.
export class EventuallInstance {
  constructor(module) {
    if (!(module instanceof WebAssembly.Module)) {
      throw new TypeError("EventuallInstance needs the imported eventuall.wasm (a WebAssembly.Module)");
    }
    this.broken = null;
    const self = this;
    // The few imports emscripten's standalone runtime keeps; nothing in the
    // core writes to files, so these only report.
    const wasi = {
      proc_exit(code) {
        throw new EventuallError("internal", `eventuall core exited with code ${code}`);
      },
      fd_close: () => 0,
      fd_seek: () => 70, // ESPIPE
      fd_write(fd, iovs, iovsLength, writtenPtr) {
        const view = new DataView(self.exports.memory.buffer);
        let written = 0;
        let text = "";
        for (let i = 0; i < iovsLength; i++) {
          const ptr = view.getUint32(iovs + i * 8, true);
          const len = view.getUint32(iovs + i * 8 + 4, true);
          text += decoder.decode(new Uint8Array(self.exports.memory.buffer, ptr, len));
          written += len;
        }
        if (text.trim()) console.error(`[eventuall wasm fd ${fd}] ${text.trimEnd()}`);
        view.setUint32(writtenPtr, written, true);
        return 0;
      },
    };
    const instance = new WebAssembly.Instance(module, {
      env: { emscripten_notify_memory_growth() {} },
      wasi_snapshot_preview1: wasi,
    });
    this.exports = instance.exports;
    this.exports._initialize();
    // Where ev_start and ev_resume leave their answer (see exports.cpp).
    this.ioAt = this.exports.ev_io() >>> 2;
    this.writer = new ResultWriter(this);
  }

  // Views over the whole linear memory, made again after it grew: growing
  // detaches the old buffer, and a detached view has length 0 (cheaper to
  // test than reading memory.buffer, which crosses into the engine). Another
  // memory (a test swaps the exports) is seen by its buffer.
  u8 = EMPTY;
  memoryView() {
    if (this.u8.length === 0 || this.exports.memory !== this.memory) {
      this.memory = this.exports.memory;
      const buffer = this.memory.buffer;
      this.u8 = new Uint8Array(buffer);
      this.i32 = new Int32Array(buffer);
      this.view = new DataView(buffer);
    }
    return this.u8;
  }

  // The scratch block: one per instance, reused by every call that hands the
  // core bytes (name, input and seed; a batch's results). Its contents live
  // only until the next call into the core. Grown (the first `keep` bytes
  // kept) when too small; a failed growth throws and keeps the old block.
  scratchPointer = 0;
  scratchSize = 0;
  scratch(size, keep = 0) {
    if (size <= this.scratchSize) return this.scratchPointer;
    const grown = Math.max(size, SCRATCH_BYTES, Math.min(this.scratchSize * 2, SCRATCH_KEPT_BYTES));
    const ptr = this.exports.ev_alloc(grown);
    if (!ptr) throw new EventuallError("internal", "eventuall core is out of memory");
    if (this.scratchPointer) {
      const u8 = this.memoryView();
      u8.copyWithin(ptr, this.scratchPointer, this.scratchPointer + keep);
      this.exports.ev_free(this.scratchPointer);
    }
    this.scratchPointer = ptr;
    this.scratchSize = grown;
    return ptr;
  }

  // A block grown for a large input or result is not kept: the heap stays
  // flat whatever passed through.
  #trimScratch() {
    if (this.scratchSize > SCRATCH_KEPT_BYTES) {
      this.exports.ev_free(this.scratchPointer);
      this.scratchPointer = 0;
      this.scratchSize = 0;
    }
  }

  // Encodes `text` into the scratch block at `offset`, growing it to fit;
  // returns the bytes written.
  #encodeAt(offset, text) {
    const at = this.scratch(offset + text.length * 3, offset) + offset;
    return utf8Into(this.memoryView(), at, text, at + text.length * 3);
  }

  operationNames() {
    if (!this.names) {
      const ptr = this.exports.ev_operation_names();
      const bytes = new Uint8Array(this.exports.memory.buffer, ptr);
      this.names = Object.freeze(JSON.parse(decoder.decode(bytes.subarray(0, bytes.indexOf(0)))));
    }
    return this.names;
  }

  // The largest JSON input (in UTF-8 bytes) the core accepts for `operation`:
  // 1 MiB, more for the bulk writes. Read from the core once per name.
  maxInputBytes(operation) {
    this.inputCaps ??= new Map();
    const name = String(operation).slice(0, 256);
    let cap = this.inputCaps.get(name);
    if (cap === undefined) {
      const length = this.#encodeAt(0, name);
      cap = this.exports.ev_max_input_bytes(this.scratchPointer, length) >>> 0;
      if (this.operationNames().includes(name)) this.inputCaps.set(name, cap);
    }
    return cap;
  }

  // Operations currently in flight in this instance.
  inFlight() {
    return this.exports.ev_in_flight();
  }

  // Bytes of linear memory, for leak and growth checks.
  memoryBytes() {
    return this.exports.memory.buffer.byteLength;
  }

  // Heap bytes in use inside the instance, for leak checks.
  heapBytes() {
    return this.exports.ev_heap_bytes();
  }

  // Test-only: every later operation gets a deterministic seed and clock, so
  // results equal the native client's given the same seed (see fixture tests).
  // Only the test build, eventuall_testing.wasm, exports the hook.
  setDeterministicForTesting(seed, startMs) {
    if (typeof this.exports.ev_set_deterministic_for_testing !== "function") {
      throw new TypeError("this eventuall.wasm is the release build: determinism is in eventuall_testing.wasm only");
    }
    const bytes = seedBytes(seed);
    const ptr = this.scratch(SEED_BYTES);
    this.memoryView().set(bytes, ptr);
    this.exports.ev_set_deterministic_for_testing(ptr, startMs);
  }

  // Runs one operation to its outcome: {ok: true, value} or {ok: false, error}.
  async run(name, input, databases, names) {
    return JSON.parse(await this.runText(name, input, databases, names));
  }

  // The same outcome as the JSON text the core wrote ({"ok":true,"value":...}
  // or {"error":{...},"ok":false}), never parsed here: a Worker can send it
  // as a Response body as it is.
  //
  // names: which database each binding is, e.g. {webapp: "DB_2"} in a fleet
  // (default: one webapp and one workers database). The schema guard rides
  // the first batch of each named database in this instance, until one
  // carrying it succeeds.
  async runText(name, input, databases, names = LOGICAL_NAMES) {
    if (this.broken) throw this.broken;
    let inputText;
    try {
      inputText = typeof input === "string" ? input : JSON.stringify(input ?? {});
    } catch (e) {
      return failureText("invalid_input", `input is not serialisable as JSON: ${e.message}`);
    }
    if (typeof name !== "string") return failureText("invalid_input", "operation name must be a string");
    inputText ??= "";
    const maxInputBytes = this.maxInputBytes(name);
    // Every UTF-16 unit is at least one UTF-8 byte: refused before encoding.
    if (inputText.length > maxInputBytes) return tooLarge(maxInputBytes);

    const schemaMask = this.#schemaMask(names);
    let handle = 0;
    try {
      handle = this.#start(name.length > 256 ? name.slice(0, 256) : name, inputText, maxInputBytes, schemaMask);
      if (handle === 0) return tooLarge(maxInputBytes);
      while (this.i32[this.ioAt] === 1) {
        const batch = this.#batch();
        // D1's results, or {error} with the message D1 threw (at once or
        // by rejecting).
        let results;
        const db = databases[batch.db];
        if (!db) {
          results = { error: `no D1 binding for the ${batch.db} database` };
        } else {
          try {
            results = await db.batch(d1Statements(db, batch.statements));
          } catch (e) {
            results = { error: String(e?.cause?.message ?? e?.message ?? e) };
          }
        }
        // Encoded into the scratch block and handed over in one synchronous
        // step: the block is shared by every operation of the instance.
        const length = this.writer.encode(results);
        try {
          this.exports.ev_resume(handle, this.scratchPointer, length);
        } catch (e) {
          throw this.#trapped(e);
        }
        this.memoryView();
      }
      this.#rememberSchema(names, this.i32[this.ioAt + 3], schemaMask);
      return this.#ioText();
    } finally {
      // After a trap nothing more is called: the instance is retired whole.
      if (!this.broken) {
        if (handle) this.exports.ev_release(handle);
        this.#trimScratch();
      }
    }
  }

  // The databases (by name) whose d1_migrations this instance has seen match
  // its build. Bounded: past the cap it starts over (the guard rides again).
  #schemaConfirmed = { webapp: new Set(), workers: new Set() };

  #schemaMask(names) {
    const confirmed = this.#schemaConfirmed;
    return (confirmed.webapp.has(names.webapp) ? 1 : 0) | (confirmed.workers.has(names.workers) ? 2 : 0);
  }

  // `mask` as the operation ended, against `sent`, what it started with.
  #rememberSchema(names, mask, sent) {
    if (mask < 0 || (mask & ~sent) === 0) return;
    const confirmed = this.#schemaConfirmed;
    if (confirmed.webapp.size + confirmed.workers.size >= MAX_REMEMBERED_DATABASES) {
      confirmed.webapp.clear();
      confirmed.workers.clear();
    }
    if (mask & 1) confirmed.webapp.add(names.webapp);
    if (mask & 2) confirmed.workers.add(names.workers);
  }

  // The scratch block holds seed, name and input, in that order; 0 when the
  // input's UTF-8 is larger than maxInputBytes.
  #start(name, inputText, maxInputBytes, schemaMask) {
    const nameLength = this.#encodeAt(SEED_BYTES, name);
    const inputAt = SEED_BYTES + nameLength;
    const inputLength = this.#encodeAt(inputAt, inputText);
    if (inputLength > maxInputBytes) return 0;
    const ptr = this.scratchPointer;
    nextSeedInto(this.u8, ptr);
    let handle;
    try {
      handle = this.exports.ev_start(ptr + SEED_BYTES, nameLength, ptr + inputAt, inputLength, ptr, Date.now(), schemaMask);
    } catch (e) {
      throw this.#trapped(e);
    }
    this.memoryView();
    return handle;
  }

  // The text ev_start or ev_resume left (a batch or the outcome).
  #ioText() {
    const ptr = this.i32[this.ioAt + 1] >>> 0;
    return decoder.decode(this.u8.subarray(ptr, ptr + (this.i32[this.ioAt + 2] >>> 0)));
  }

  // SQL texts by id: the core sends each text once per instance, then only
  // its id (wire.h).
  #sqlTexts = [];

  #batch() {
    const batch = JSON.parse(this.#ioText());
    for (const statement of batch.statements) {
      if (statement.sql !== undefined) {
        if (statement.id) this.#sqlTexts[statement.id] = statement.sql;
      } else {
        statement.sql = this.#sqlTexts[statement.id];
        if (statement.sql === undefined) {
          this.broken = new EventuallError("internal", `eventuall core sent an unknown SQL id ${statement.id}`);
          throw this.broken;
        }
      }
    }
    return batch;
  }

  // A trap leaves the instance in an unknown state: retire it, so the next
  // request gets a fresh one instead of a corrupted one. Returns the error to throw.
  #trapped(e) {
    this.broken = new EventuallError("internal", `eventuall core trapped: ${e.message}`);
    return this.broken;
  }
}

// Each operation's 32-byte seed, cut from a pool filled 128 seeds at a time:
// one getRandomValues per 128 operations instead of one each (it costs about
// as much as a small operation's own work). Filled lazily, inside a request,
// as Workers allow randomness only there.
const SEED_BYTES = 32;
// The scratch block's first size, and the largest kept between operations.
const SCRATCH_BYTES = 1 << 14;
const SCRATCH_KEPT_BYTES = 1 << 18;
let seedPool = new Uint8Array(0);
let seedOffset = 0;
// Copies the next seed to u8[at...] (a loop: no view made per operation).
function nextSeedInto(u8, at) {
  if (seedOffset === seedPool.length) {
    seedPool = crypto.getRandomValues(new Uint8Array(SEED_BYTES * 128));
    seedOffset = 0;
  }
  for (let i = 0; i < SEED_BYTES; i++) u8[at + i] = seedPool[seedOffset + i];
  seedOffset += SEED_BYTES;
}
const EMPTY = new Uint8Array(0);

// Writes `s` as UTF-8 at bytes[at..end) (end - at >= 3 * s.length); returns
// the bytes written. Short ASCII (names, ids, emails, small inputs) is copied
// a character at a time: encodeInto's fixed cost (a call into the runtime,
// a view, a result object: about 750 ns of CPU in workerd, against 3-4 ns
// a character for the loop) is larger than that loop below SHORT_TEXT units.
const SHORT_TEXT = 128;
function utf8Into(bytes, at, s, end) {
  const length = s.length;
  if (length > SHORT_TEXT) return encoder.encodeInto(s, bytes.subarray(at, end)).written;
  let i = 0;
  for (; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    bytes[at + i] = c;
  }
  if (i === length) return length;
  return i + encoder.encodeInto(s.slice(i), bytes.subarray(at + i, end)).written;
}

// A failure as the core writes its text (keys sorted: error before ok).
function failureText(code, message) {
  return JSON.stringify({ error: { code, message }, ok: false });
}

function tooLarge(maxInputBytes) {
  return failureText("invalid_input", `input larger than ${maxInputBytes} bytes`);
}

// The value's text of a successful outcome's text, or null for a failure.
const OK_PREFIX = '{"ok":true,"value":';
function valueText(outcomeText) {
  return outcomeText.startsWith(OK_PREFIX) ? outcomeText.slice(OK_PREFIX.length, -1) : null;
}

function seedBytes(seed) {
  if (seed instanceof Uint8Array && seed.length === 32) return seed;
  if (typeof seed === "string" && /^[0-9a-f]{64}$/i.test(seed)) {
    return Uint8Array.from(seed.match(/../g), (h) => parseInt(h, 16));
  }
  throw new TypeError("seed must be 32 bytes or 64 hex characters");
}

// --- the batch loop against D1 ---------------------------------------------

// A batch's statements, prepared and bound (the params arrays are the
// batch's own, parsed for this call: blobs are replaced in place).
function d1Statements(db, statements) {
  const out = new Array(statements.length);
  for (let i = 0; i < statements.length; i++) {
    const params = statements[i].params;
    for (let p = 0; p < params.length; p++) {
      const value = params[p];
      if (value !== null && typeof value === "object") params[p] = toD1Value(value);
    }
    out[i] = db.prepare(statements[i].sql).bind(...params);
  }
  return out;
}

function toD1Value(value) {
  if (typeof value.$blob === "string") {
    return Uint8Array.from(atob(value.$blob), (c) => c.charCodeAt(0)).buffer;
  }
  return value;
}

// --- batch results into the core's wire format (bindings/d1/wire.h) ---------

const TAG_NULL = 0;
const TAG_INTEGER = 1;
const TAG_REAL = 2;
const TAG_TEXT = 3;
const TAG_BLOB = 4;

// Writes a batch's results into the instance's scratch block, growing it
// (the bytes written so far kept) when they do not fit: no copy in JS memory,
// no allocation per batch.
class ResultWriter {
  constructor(instance) {
    this.instance = instance;
    this.start = 0;
    this.at = 0;
    this.end = 0;
  }
  reserve(n) {
    if (this.at + n <= this.end) return;
    const used = this.at - this.start;
    this.start = this.instance.scratch(used + n, used);
    this.end = this.start + this.instance.scratchSize;
    this.at = this.start + used;
    this.bytes = this.instance.memoryView();
    this.view = this.instance.view;
  }
  u8(v) {
    this.reserve(1);
    this.bytes[this.at++] = v;
  }
  u32(v) {
    this.reserve(4);
    this.view.setUint32(this.at, v, true);
    this.at += 4;
  }
  f64(v) {
    this.reserve(8);
    this.view.setFloat64(this.at, v, true);
    this.at += 8;
  }
  // u32 length, then UTF-8.
  text(s) {
    this.reserve(4 + s.length * 3);
    const start = this.at + 4;
    const written = utf8Into(this.bytes, start, s, this.end);
    this.view.setUint32(this.at, written, true);
    this.at = start + written;
  }
  value(v) {
    switch (typeof v) {
      case "string":
        this.u8(TAG_TEXT);
        this.text(v);
        return;
      case "number":
        if (!Number.isFinite(v)) return this.u8(TAG_NULL);
        this.u8(Number.isInteger(v) ? TAG_INTEGER : TAG_REAL);
        this.f64(v);
        return;
      case "boolean":
      case "bigint":
        this.u8(TAG_INTEGER);
        this.f64(Number(v));
        return;
    }
    if (v instanceof ArrayBuffer) return this.#blob(new Uint8Array(v));
    if (ArrayBuffer.isView(v)) return this.#blob(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    if (Array.isArray(v)) return this.#blob(Uint8Array.from(v)); // older D1: blobs as byte arrays
    this.u8(TAG_NULL);
  }
  // Tag, u32 length, bytes.
  #blob(u8) {
    this.u8(TAG_BLOB);
    this.u32(u8.length);
    this.reserve(u8.length);
    this.bytes.set(u8, this.at);
    this.at += u8.length;
  }

  // D1 returns rows as objects; every column our SQL selects is aliased, so
  // object keys are the column names, in select order. Returns the length
  // written at the scratch block's start.
  encode(results) {
    this.start = this.instance.scratch(1);
    this.at = this.start;
    this.end = this.start + this.instance.scratchSize;
    this.bytes = this.instance.memoryView();
    this.view = this.instance.view;
    if (!Array.isArray(results)) {
      this.u8(0);
      this.text(String(results?.error ?? "batch failed"));
      return this.at - this.start;
    }
    this.u8(1);
    this.u32(results.length);
    for (const result of results) {
      const rows = result?.results ?? [];
      const columns = rows.length ? Object.keys(rows[0]) : [];
      this.f64(Number(result?.meta?.changes ?? 0));
      this.u32(columns.length);
      for (const c of columns) this.text(c);
      this.u32(rows.length);
      // Object.values follows the same property order as Object.keys, and every
      // row of a result has its keys in one order: no lookup by name per cell.
      // Exactly one value per column is written whatever a row holds, so the
      // buffer can never fall out of step with its counts.
      for (const row of rows) {
        const values = Object.values(row);
        for (let i = 0; i < columns.length; i++) this.value(values[i]);
      }
    }
    return this.at - this.start;
  }
}

// --- the per-request API ------------------------------------------------------

const instances = new WeakMap();

// The per-request object's `call`, under a key no caller spells.
const CALL = Symbol("eventuall.call");

// The prototype of an instance's per-request objects, made once per instance:
// createEventuall runs per request, and making a closure per operation (70 of
// them) every time cost more CPU than a small operation itself. A method is
// made the first time it is read, then kept as an own property of that
// object, as before (so `const { signUp } = ev` works and ev.signUp is the
// same function each time); assigning one replaces it, as before.
const prototypes = new WeakMap();
function methodsPrototype(instance) {
  let proto = prototypes.get(instance);
  if (proto) return proto;
  proto = {};
  for (const operation of instance.operationNames()) {
    const method = methodName(operation);
    const own = (target, value) => Object.defineProperty(target, method, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(proto, method, {
      enumerable: true,
      configurable: true,
      get() {
        const call = this[CALL];
        if (call === undefined) return undefined; // read on the prototype itself
        const fn = (input) => call(operation, input);
        own(this, fn);
        return fn;
      },
      set(value) {
        own(this, value);
      },
    });
  }
  prototypes.set(instance, proto);
  return proto;
}

function instanceFor(module) {
  let instance = instances.get(module);
  if (!instance || instance.broken) {
    instance = new EventuallInstance(module);
    instances.set(module, instance);
  }
  return instance;
}

/**
 * Per request: bindings are { webapp, workers } (or { DB, WORKERS_DB }), each a
 * D1Database or a D1DatabaseSession from env.DB.withSession(bookmark).
 * options.names says which database each binding is when one instance serves
 * several of a kind (a fleet: { webapp: "DB_2" }; a Durable Object: its id),
 * so each gets its own schema guard. Default: one of each.
 */
export function createEventuall(bindings, options = {}) {
  const instance = options.instance ?? (options.module ? instanceFor(options.module) : null);
  if (!instance) {
    throw new TypeError("createEventuall: pass { module } (the imported eventuall.wasm) or { instance }");
  }
  const databases = {
    webapp: bindings?.webapp ?? bindings?.DB,
    workers: bindings?.workers ?? bindings?.WORKERS_DB,
  };
  const names = { ...LOGICAL_NAMES };
  for (const [db, name] of Object.entries(options.names ?? {})) {
    if (!(db in names) || typeof name !== "string" || name === "") {
      throw new TypeError(`createEventuall: names.${db} must be a non-empty string naming the ${db} database`);
    }
    names[db] = name;
  }
  const outcome = (name, input) => instance.run(name, input, databases, names);
  const outcomeText = (name, input) => instance.runText(name, input, databases, names);

  // Only the value is parsed (a failure is parsed to throw it).
  async function call(name, input) {
    const text = await instance.runText(name, input, databases, names);
    const value = valueText(text);
    if (value !== null) return JSON.parse(value);
    throw errorOf(text);
  }

  // The value as JSON text, never parsed (a failure is parsed to throw it).
  async function callText(name, input) {
    const text = await instance.runText(name, input, databases, names);
    const value = valueText(text);
    if (value !== null) return value;
    throw errorOf(text);
  }

  const api = Object.create(methodsPrototype(instance));
  api.call = call;
  api.callText = callText;
  // The outcome without throwing: {ok: true, value} | {ok: false, error: {code, message}}.
  api.outcome = outcome;
  // The same outcome as the core's JSON text, e.g. for a Response body.
  api.outcomeText = outcomeText;
  // Bookmarks of D1 sessions, to hand to the next request's withSession().
  api.bookmarks = () => ({
    webapp: databases.webapp?.getBookmark?.() ?? null,
    workers: databases.workers?.getBookmark?.() ?? null,
  });
  api[CALL] = call;
  return api;
}

function errorOf(outcomeText) {
  const { error } = JSON.parse(outcomeText);
  return new EventuallError(error.code, error.message);
}
