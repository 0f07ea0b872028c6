// EventuallService: the data layer as its own Worker, called over a service binding (Workers
// RPC). Other Workers, a Next.js app on OpenNext included, bind to it and call typed methods:
// no wasm in their bundle, no HTTP, no public URL.
//
//   // the service Worker's main (wrangler.jsonc: "main": "src/service.ts"):
//   export { EventuallService as default } from "eventuall-data/service";
//   // a caller (wrangler.jsonc: "services": [{ "binding": "EVENTUALL", "service": "<its name>" }]):
//   const out = await env.EVENTUALL.createEvent({ userId }, { accountId, name, rooms });
//   if (out.ok) out.value.event.id; else out.error.code;
//
// Every method takes the caller first: who the call acts for, as the caller's own backend
// established it (its session check, OAuth callback, API key), never a value a public
// client sent. {userId} is an authenticated user: operations run under the same policy as
// the example Worker's HTTP API (policy.mjs): actorUserId is that user, whatever the input
// says, and self-service operations may name only them. {admin: true} is the calling backend
// itself: administrative operations, input as is. The binding is the credential: only Workers
// the account binds to this one can call it.
//
// Methods answer outcomes ({ok: true, value} | {ok: false, error: {code, message}}), not
// exceptions: Workers RPC keeps an error's message but not its code.
import { WorkerEntrypoint } from "cloudflare:workers";

import { operations } from "./dist/manifest.mjs";
import wasm from "./dist/eventuall.wasm";
import { createEventuall, methodName, requiredMigrations, version } from "./eventuall.mjs";
import { authorize } from "./policy.mjs";

const failure = (code, message) => ({ ok: false, error: { code, message } });
const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// The policy's caller from the RPC caller, or null when it is not one of the two shapes.
function policyCaller(caller) {
  if (!isPlainObject(caller)) return null;
  const keys = Object.keys(caller);
  if (keys.length !== 1) return null;
  if (keys[0] === "admin" && caller.admin === true) return { admin: true };
  if (keys[0] === "userId" && typeof caller.userId === "string" && caller.userId !== "") return { user: caller.userId };
  return null;
}

export class EventuallService extends WorkerEntrypoint {
  /** RPC: any operation by its core name (e.g. "create_event"). */
  async run(caller, operation, input) {
    const who = policyCaller(caller);
    if (!who) return failure("unauthenticated", "caller must be {userId: <authenticated user id>} or {admin: true}");
    if (typeof operation !== "string" || !operations.includes(operation)) {
      return failure("invalid_input", `unknown operation ${JSON.stringify(String(operation)).slice(0, 80)}`);
    }
    if (input !== undefined && !isPlainObject(input)) return failure("invalid_input", "input must be an object");
    const { input: authorized, error } = authorize(operation, who, input ?? {});
    if (error) return error;
    // Per call: D1 bindings are per request; the wasm instance is shared by the isolate.
    const ev = createEventuall({ webapp: this.env.DB, workers: this.env.WORKERS_DB }, { module: wasm });
    return ev.outcome(operation, authorized);
  }

  /** RPC: the package version and the migrations the wasm needs on each database. */
  async info() {
    return { version, requiredMigrations, operations };
  }

  // RPC only: no public HTTP surface.
  async fetch() {
    return new Response("eventuall-data: call this Worker over a service binding (RPC)", { status: 404 });
  }
}

// One RPC method per operation (sign_up -> signUp), from the wasm's own list.
for (const operation of operations) {
  const name = methodName(operation);
  if (Object.hasOwn(EventuallService.prototype, name)) throw new Error(`EventuallService: operation ${operation} would replace ${name}()`);
  Object.defineProperty(EventuallService.prototype, name, {
    value: function (caller, input) {
      return this.run(caller, operation, input);
    },
    writable: true,
    configurable: true,
  });
}

export default EventuallService;
