// Example Worker: an HTTP JSON API over the Eventuall operations.
//
//   GET  /health                      liveness, no database access
//   GET  /v1/operations               the operation names
//   POST /v1/<operation>              JSON body = the operation's input
//   GET  /v1/users/:id                get_user
//   GET  /v1/events/:id               get_event
//   GET  /v1/accounts/:id/events      list_account_events   (?status=&limit=&cursor=)
//   POST /webhooks/shopify/:eventId   Shopify orders/create (refunds/create, orders/cancelled),
//                                     X-Shopify-Hmac-Sha256 checked (SHOPIFY_WEBHOOK_SECRET)
//   POST /webhooks/stripe/:eventId    Stripe checkout.session.completed with line_items,
//                                     Stripe-Signature checked, 300 s tolerance (STRIPE_WEBHOOK_SECRET)
//   POST /webhooks/eventbrite/:eventId?token=  an Eventbrite order with attendees; Eventbrite
//                                     does not sign, so a shared token (EVENTBRITE_WEBHOOK_SECRET)
//
// Webhooks are verified on the raw body with WebCrypto (webhooks.mjs) before
// anything is parsed; a bad or stale signature is 401 and nothing is written.
// The raw body goes to the core as text, so 64-bit retailer ids stay exact.
// The event comes from the route: SKU mappings are per event.
//
// Callers (see POLICY below for who may run what):
//   anonymous  no credentials: only the PUBLIC operations (sign_up,
//              consume_login_token), /health and /v1/operations.
//   user       `Authorization: Bearer <session token>` (validate_session) or
//              `Bearer evk_...` (an MCP API key, authenticate_api_key). The
//              user becomes the input's actorUserId, replacing any in the body,
//              and self-service operations may only name the user themselves.
//   admin      `x-eventuall-admin-token: <env.ADMIN_TOKEN>`: a trusted backend
//              (the server-side OAuth callback, a service binding, ops tools).
//              Its body goes to the core as is, actorUserId included. Without
//              ADMIN_TOKEN set, admin access is disabled.
// Getting a session: the backend that verified the user (OAuth callback,
// magic link) calls sign_in_with_provider / create_session as admin and hands
// the token to the client. Provider sign-in is admin-only on purpose: its body
// asserts a provider identity and an email, and the core links that identity to
// the user with that email, so a public route would let anyone take over any
// account. Caution: sign_up is public and claims the pending invitations of its
// (unverified) email; a deployment that invites by email should verify the email
// before sign_up, i.e. run sign_up from its backend too.
//
// Secrets and settings: ADMIN_TOKEN is a secret (`wrangler secret put
// ADMIN_TOKEN`; a long random value). For `wrangler dev` (scripts/dev.sh),
// wrangler reads .dev.vars: `cp .dev.vars.example .dev.vars` to enable the
// admin token locally (without .dev.vars admin access is simply disabled).
//
// Participants cache: with a KV binding PARTICIPANTS_CACHE, list_participants
// pages are cached for PARTICIPANTS_CACHE_TTL_SECONDS (default 30) and the
// response says `x-cache: hit|miss|bypass`; operations that change an event's
// grants, invitations or profiles invalidate its lists (participants_cache.mjs).
//
// Every /v1 response body is an outcome: {"ok":true,"value":...} or
// {"ok":false,"error":{"code","message"}}, with the HTTP status mapped from the
// code. D1 read replication: the request's `x-d1-bookmark` header (none means
// "first-unconstrained") opens a session on env.DB, and the response carries the
// session's new bookmark in `x-d1-bookmark` for the client's next request.
//
// Bindings (wrangler.toml): DB (webapp D1), WORKERS_DB (workers D1),
// PARTICIPANTS_CACHE (KV, optional); vars: ADMIN_TOKEN, PARTICIPANTS_CACHE_TTL_SECONDS.

import wasm from "../dist/eventuall.wasm"; // a WebAssembly.Module (CompiledWasm rule)
import { createEventuall, EventuallError, EventuallInstance } from "../eventuall.mjs";
import { authorize } from "../policy.mjs";
import { createParticipantsCache, DEFAULT_TTL_SECONDS } from "./participants_cache.mjs";
import { sameSecret, verifyShopify, verifyStripe, verifyToken } from "./webhooks.mjs";

const BOOKMARK_HEADER = "x-d1-bookmark";
const DEFAULT_SESSION = "first-unconstrained";
// Bookmarks are opaque to us (D1's look like 00000000-00000004-00000000-<32 hex>);
// only reject what cannot be one, so a header never reaches D1 unchecked.
const BOOKMARK = /^[A-Za-z0-9-]{1,256}$/;
const MAX_BODY_BYTES = 1 << 20;
const OPERATION_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const ADMIN_HEADER = "x-eventuall-admin-token";

// Who may run what: POLICY and authorize(), shared with the RPC service (../policy.mjs).

const STATUS_BY_CODE = Object.freeze({
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  db_error: 500,
  internal: 500,
});

function statusFor(outcome) {
  if (outcome?.ok) return 200;
  return STATUS_BY_CODE[outcome?.error?.code] ?? 500;
}

function failure(code, message) {
  return { ok: false, error: { code, message } };
}

function respond(outcome, { status = statusFor(outcome), headers = {} } = {}) {
  return new Response(JSON.stringify(outcome), {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

function methodNotAllowed(allow) {
  return respond(failure("invalid_input", `method not allowed; use ${allow}`), {
    status: 405,
    headers: { allow },
  });
}

// One wasm instance per isolate, created on first use (never at global scope)
// and replaced if a trap retired it. Requests share it; each operation is its
// own coroutine inside it. The D1 bindings, by contrast, are per request.
let instance = null;
function eventuallInstance() {
  if (!instance || instance.broken) instance = new EventuallInstance(wasm);
  return instance;
}

// The databases for one request. env.DB goes through a D1 session when the
// runtime supports them, so reads may be served by a replica no older than the
// client's bookmark.
function openDatabases(request, env) {
  const incoming = request.headers.get(BOOKMARK_HEADER)?.trim() || null;
  if (incoming !== null && !BOOKMARK.test(incoming)) return null;
  let webapp = env.DB;
  let session = null;
  if (typeof env.DB?.withSession === "function") {
    session = env.DB.withSession(incoming ?? DEFAULT_SESSION);
    webapp = session;
  }
  return {
    bindings: { webapp, workers: env.WORKERS_DB },
    incoming,
    bookmark: () => session?.getBookmark?.() ?? null,
    // The bookmark to hand back: the session's latest, or the client's own when
    // nothing ran (so a client never loses its position).
    bookmarkHeaders() {
      if (!session) return {};
      const bookmark = session.getBookmark?.() ?? incoming;
      return bookmark ? { [BOOKMARK_HEADER]: bookmark } : {};
    },
  };
}

// Who sends the request: {admin: true}, {user: id}, {} (anonymous) or
// {error: outcome}. Runs in the request's D1 session, so a session created by
// the client's previous request is seen.
async function identifyCaller(request, env, eventuall) {
  const adminToken = request.headers.get(ADMIN_HEADER);
  const header = request.headers.get("authorization");
  if (adminToken !== null) {
    if (header !== null) {
      return { error: failure("invalid_input", `send Authorization or ${ADMIN_HEADER}, not both`) };
    }
    // No ADMIN_TOKEN: admin access is off, and says so no differently than a wrong token.
    const configured = typeof env.ADMIN_TOKEN === "string" && env.ADMIN_TOKEN !== "";
    if (!configured || !(await sameSecret(adminToken, env.ADMIN_TOKEN))) {
      return { error: failure("unauthenticated", `invalid ${ADMIN_HEADER}`) };
    }
    return { admin: true };
  }
  if (header === null) return {};
  const match = /^Bearer[ ]+([!-~]{1,512})$/i.exec(header.trim());
  if (!match) {
    return { error: failure("unauthenticated", "Authorization must be 'Bearer <session token or API key>'") };
  }
  const secret = match[1];
  const outcome = secret.startsWith("evk_")
    ? await eventuall.outcome("authenticate_api_key", { key: secret })
    : await eventuall.outcome("validate_session", { token: secret });
  if (outcome.ok) return { user: outcome.value.user.id };
  // A secret the core finds malformed is as good as an unknown one.
  if (outcome.error.code === "invalid_input") return { error: failure("unauthenticated", outcome.error.message) };
  return { error: outcome };
}

function participantsCache(env) {
  const ttl = Number(env.PARTICIPANTS_CACHE_TTL_SECONDS ?? DEFAULT_TTL_SECONDS);
  return createParticipantsCache(env.PARTICIPANTS_CACHE, { ttlSeconds: ttl > 0 ? ttl : DEFAULT_TTL_SECONDS });
}

// list_participants through the cache: {outcome, cache: "hit"|"miss"|"bypass"}.
// participants.view is checked on every request with `can` (the condition the
// core itself applies), in parallel with the KV reads: a cached page is shared
// by everyone allowed to see it and never shown to anyone else, even one who
// lost access a second ago. Refusals and invalid input go to the core, uncached,
// for its exact error.
async function listParticipants(eventuall, cache, input, databases) {
  const actor = input.actorUserId;
  const [check, page] = await Promise.all([
    typeof actor === "string"
      ? eventuall.outcome("can", { userId: actor, eventId: input.eventId, permission: "participants.view" })
      : null,
    cache.lookup(input, { minBookmark: databases.incoming }),
  ]);
  if (page === null || !check?.ok || check.value.allowed !== true) {
    return { outcome: await eventuall.outcome("list_participants", input), cache: "bypass" };
  }
  if (page.value !== null) return { outcome: { ok: true, value: page.value }, cache: "hit" };
  const outcome = await eventuall.outcome("list_participants", input);
  if (outcome.ok) await page.store(outcome.value, databases.bookmark());
  return { outcome, cache: "miss" };
}

// Runs one operation for the request: body is a plain object.
async function runOperation(request, env, name, body) {
  const databases = openDatabases(request, env);
  if (!databases) {
    return respond(failure("invalid_input", `malformed ${BOOKMARK_HEADER} header`));
  }
  const eventuall = createEventuall(databases.bindings, { instance: eventuallInstance() });
  const caller = await identifyCaller(request, env, eventuall);
  if (caller.error) return respond(caller.error, { headers: databases.bookmarkHeaders() });
  const { input, error } = authorize(name, caller, body);
  if (error) return respond(error, { headers: databases.bookmarkHeaders() });

  const cache = participantsCache(env);
  if (cache && name === "list_participants") {
    const listed = await listParticipants(eventuall, cache, input, databases);
    return respond(listed.outcome, { headers: { ...databases.bookmarkHeaders(), "x-cache": listed.cache } });
  }
  const outcome = await eventuall.outcome(name, input);
  // Awaited: the client's next list, in this location, must see the change.
  if (cache && outcome.ok) await cache.invalidateAfter(name, input, outcome.value);
  return respond(outcome, { headers: databases.bookmarkHeaders() });
}

// The request body as a JSON object ({value}), or an outcome explaining why not.
async function readJsonObject(request) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) {
    return { error: failure("invalid_input", `request body larger than ${MAX_BODY_BYTES} bytes`), status: 413 };
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) {
    return { error: failure("invalid_input", `request body larger than ${MAX_BODY_BYTES} bytes`), status: 413 };
  }
  if (text.trim() === "") return { value: {} };
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: failure("invalid_input", `request body is not valid JSON: ${e.message}`) };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { error: failure("invalid_input", "request body must be a JSON object") };
  }
  return { value };
}

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function listInput(accountId, params) {
  const input = { accountId };
  const status = params.get("status");
  const limit = params.get("limit");
  const cursor = params.get("cursor");
  if (status !== null) input.status = status;
  // Numbers pass as numbers; anything else is left for the core to reject.
  if (limit !== null) input.limit = /^\d{1,9}$/.test(limit) ? Number(limit) : limit;
  if (cursor !== null) input.cursor = cursor;
  return input;
}

// --- Webhooks --------------------------------------------------------------------

// The retailer's operation for a verified delivery: {name, input} or {ignored}.
function webhookOperation(retailer, eventId, request, rawText) {
  if (retailer === "shopify") {
    const topic = request.headers.get("x-shopify-topic") ?? "orders/create";
    if (topic === "orders/create" || topic === "orders/paid") {
      return { name: "ingest_order", input: { eventId, retailer, payload: rawText } };
    }
    // refunds/create names the order as order_id; orders/cancelled is the order.
    // The ids are read from the raw text so 64-bit values stay exact.
    const key = topic === "refunds/create" ? "order_id" : topic === "orders/cancelled" ? "id" : null;
    const id = key && new RegExp(`"${key}"\\s*:\\s*"?(\\d{1,20})"?`).exec(rawText)?.[1];
    if (!id) return { ignored: topic };
    const name = topic === "refunds/create" ? "refund_order" : "cancel_order";
    return { name, input: { retailer, externalOrderId: id } };
  }
  if (retailer === "stripe") {
    let type;
    try {
      type = JSON.parse(rawText)?.type;
    } catch {
      type = undefined; // the core explains what is wrong with the payload
    }
    if (type !== undefined && type !== "checkout.session.completed") return { ignored: type };
  }
  return { name: "ingest_order", input: { eventId, retailer, payload: rawText } };
}

async function verifyWebhook(retailer, request, env, bytes, url) {
  if (retailer === "shopify") {
    return verifyShopify(bytes, request.headers.get("x-shopify-hmac-sha256"), env.SHOPIFY_WEBHOOK_SECRET);
  }
  if (retailer === "stripe") {
    return verifyStripe(bytes, request.headers.get("stripe-signature"), env.STRIPE_WEBHOOK_SECRET);
  }
  return verifyToken(url.searchParams.get("token"), env.EVENTBRITE_WEBHOOK_SECRET);
}

async function receiveWebhook(request, env, retailer, eventId, url) {
  if (!["shopify", "stripe", "eventbrite"].includes(retailer)) {
    return respond(failure("not_found", `no webhook route for ${retailer}`));
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) {
    return respond(failure("invalid_input", `request body larger than ${MAX_BODY_BYTES} bytes`), { status: 413 });
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) {
    return respond(failure("invalid_input", `request body larger than ${MAX_BODY_BYTES} bytes`), { status: 413 });
  }
  const verified = await verifyWebhook(retailer, request, env, bytes, url);
  if (!verified.ok) return respond(failure("unauthenticated", verified.reason));

  let rawText;
  try {
    rawText = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return respond(failure("invalid_input", "webhook body is not UTF-8"));
  }
  const operation = webhookOperation(retailer, eventId, request, rawText);
  if (operation.ignored !== undefined) {
    // Acknowledged so the retailer does not retry a topic we do not handle.
    return respond({ ok: true, value: { ignored: String(operation.ignored) } });
  }
  // A verified delivery is a trusted call: no actor, the event from the route.
  const eventuall = createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { instance: eventuallInstance() });
  return respond(await eventuall.outcome(operation.name, operation.input));
}

async function handle(request, env) {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = request.method;

  if (path === "/health") {
    if (method !== "GET" && method !== "HEAD") return methodNotAllowed("GET");
    return respond({ ok: true, value: { status: "ok", service: "eventuall-data" } });
  }

  if (path === "/v1/operations") {
    if (method !== "GET") return methodNotAllowed("GET");
    return respond({ ok: true, value: { operations: eventuallInstance().operationNames() } });
  }

  const segments = path.split("/").slice(1).map(decodeSegment);
  if (segments[0] === "webhooks" && segments.length === 3 && !segments.includes(null)) {
    if (method !== "POST") return methodNotAllowed("POST");
    return receiveWebhook(request, env, segments[1], segments[2], url);
  }
  if (segments[0] !== "v1" || segments.includes(null)) {
    return respond(failure("not_found", `no route for ${method} ${url.pathname}`));
  }
  const rest = segments.slice(1);

  // REST reads.
  if (rest.length === 2 && rest[0] === "users") {
    if (method !== "GET") return methodNotAllowed("GET");
    return runOperation(request, env, "get_user", { id: rest[1] });
  }
  if (rest.length === 2 && rest[0] === "events") {
    if (method !== "GET") return methodNotAllowed("GET");
    return runOperation(request, env, "get_event", { id: rest[1] });
  }
  if (rest.length === 3 && rest[0] === "accounts" && rest[2] === "events") {
    if (method !== "GET") return methodNotAllowed("GET");
    return runOperation(request, env, "list_account_events", listInput(rest[1], url.searchParams));
  }

  // POST /v1/<operation>.
  if (rest.length === 1) {
    if (method !== "POST") return methodNotAllowed("POST");
    const name = rest[0];
    // Unknown names are 400 before any authentication (the list is public anyway).
    if (!OPERATION_NAME.test(name) || !eventuallInstance().operationNames().includes(name)) {
      return respond(failure("invalid_input", `unknown operation '${name.slice(0, 64)}'`));
    }
    const body = await readJsonObject(request);
    if (body.error) return respond(body.error, body.status ? { status: body.status } : {});
    return runOperation(request, env, name, body.value);
  }

  return respond(failure("not_found", `no route for ${method} ${url.pathname}`));
}

export default {
  async fetch(request, env) {
    try {
      return await handle(request, env);
    } catch (e) {
      // Never let an error escape: log it, answer with a 500 outcome.
      console.error("eventuall-data: unhandled error", e?.stack ?? e);
      const message = e instanceof EventuallError ? e.message : "internal error";
      return respond(failure("internal", message), { status: 500 });
    }
  },
};
