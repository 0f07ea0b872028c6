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
// client sent. {userId} is an authenticated user: the core runs the operation for that user
// under the operation's declared policy (auth {user}: wasm/ops/operation.h), as it does for a
// session token: actorUserId is that user, whatever the input says, self-service operations
// may name only them, and administrative ones are refused. {admin: true} is the calling backend
// itself: administrative operations, input as is. The binding is the credential: only Workers
// the account binds to this one can call it.
//
// Methods answer outcomes ({ok: true, value} | {ok: false, error: {code, message}}), not
// exceptions: Workers RPC keeps an error's message but not its code.
import { WorkerEntrypoint } from "cloudflare:workers";

import { operations } from "./dist/manifest.mjs";
import wasm from "./dist/eventuall.wasm";
import { createEventuall, methodName, requiredMigrations, version } from "./eventuall.mjs";

const failure = (code, message) => ({ ok: false, error: { code, message } });
const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// The core's input for an RPC caller, or null when the caller is not one of the two shapes.
// The input's own `auth` is never trusted: only the caller says who acts.
function inputFor(caller, input) {
  if (!isPlainObject(caller)) return null;
  const keys = Object.keys(caller);
  if (keys.length !== 1) return null;
  const { auth: _auth, ...rest } = input;
  if (keys[0] === "admin" && caller.admin === true) return rest;
  if (keys[0] === "userId" && typeof caller.userId === "string" && caller.userId !== "") {
    return { ...rest, auth: { user: caller.userId } };
  }
  return null;
}

export class EventuallService extends WorkerEntrypoint {
  /** RPC: any operation by its core name (e.g. "create_event"). */
  async run(caller, operation, input) {
    if (typeof operation !== "string" || !operations.includes(operation)) {
      return failure("invalid_input", `unknown operation ${JSON.stringify(String(operation)).slice(0, 80)}`);
    }
    if (input !== undefined && !isPlainObject(input)) return failure("invalid_input", "input must be an object");
    const authorized = inputFor(caller, input ?? {});
    if (!authorized) return failure("unauthenticated", "caller must be {userId: <authenticated user id>} or {admin: true}");
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
