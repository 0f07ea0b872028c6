// Example Worker: an HTTP JSON API over the Eventuall operations.
//
//   GET  /health                      liveness, no database access
//   GET  /v1/operations               the operation names
//   GET  /v1/openapi.json             this API as OpenAPI 3.1 (generated from the contracts)
//   POST /v1/<operation>              JSON body = the operation's input
//   GET  /v1/users/:id                get_user
//   GET  /v1/events/:id               get_event
//   GET  /v1/accounts/:id/events      list_account_events   (?status=&limit=&cursor=)
//   POST /webhooks/<retailer>/:connectionId   a store connection's deliveries (shopify:
//                                     X-Shopify-Hmac-Sha256; stripe: Stripe-Signature, 300 s
//                                     tolerance; eventbrite: ?token=, it does not sign), each
//                                     checked against the connection's own secret(s)
//
// Webhooks are verified on the raw body with WebCrypto (webhooks.mjs) before
// anything is parsed; a bad or stale signature is 401 and nothing is written.
// The raw body goes to the core as text, so 64-bit retailer ids stay exact,
// and the core reads the action from the signed body. Each line item's event
// comes from the account's SKU mappings. Connection secrets are sealed with
// AES-GCM under the Worker secret RETAILER_SECRETS_KEY; D1 holds ciphertext.
//
// Callers (the core decides who may run what: see "Who may run what" below):
//   anonymous  no credentials: only the PUBLIC operations (sign_up,
//              verify_email, consume_login_token), /health and /v1/operations.
//   user       `Authorization: Bearer <session token>` or `Bearer evk_...` (an
//              MCP API key). The user becomes the input's actorUserId, replacing
//              any in the body, and self-service operations may only name the
//              user themselves. Tokens and keys name their user, so the core
//              checks them inside the operation's own batch: one D1 round trip
//              per request (older tokens: a batch of their own first).
//   admin      `x-eventuall-admin-token: <env.ADMIN_TOKEN>`: a trusted backend
//              (the server-side OAuth callback, a service binding, ops tools).
//              Its body goes to the core as is, actorUserId included. Without
//              ADMIN_TOKEN set, admin access is disabled.
// Getting a session: the backend that verified the user (OAuth callback,
// magic link) calls sign_in_with_provider / create_session as admin and hands
// the token to the client. Provider sign-in is admin-only on purpose: its body
// asserts a provider identity and an email, and the core links that identity to
// the user with that email, so a public route would let anyone take over any
// account. sign_up is public but answers {status: "verification_sent"} whatever
// the email's state and mails the token (verification.mjs, rate limited per
// client and per email); nothing is claimed until verify_email proves the email.
//
// Secrets and settings: ADMIN_TOKEN is a secret (`wrangler secret put
// ADMIN_TOKEN`; a long random value). For `wrangler dev` (scripts/dev.sh),
// wrangler reads .dev.vars: `cp .dev.vars.example .dev.vars` to enable the
// admin token locally (without .dev.vars admin access is simply disabled).
//
// Participants cache: with a KV binding PARTICIPANTS_CACHE, list_participants
// pages are cached for PARTICIPANTS_CACHE_TTL_SECONDS (default 30) and the
// response says `x-cache: hit|miss|bypass`; operations that change an event's
// grants, invitations or profiles invalidate its lists (participants_cache.mjs),
// through /v1 and through the webhook routes (orders, refunds, cancellations).
//
// Every /v1 response body is an outcome: {"ok":true,"value":...} or
// {"ok":false,"error":{"code","message"}}, with the HTTP status mapped from the
// code. D1 read replication: the request's `x-d1-bookmark` header (none means
// "first-unconstrained") opens a session on env.DB, and the response carries the
// session's new bookmark in `x-d1-bookmark` for the client's next request.
//
// Bindings (wrangler.toml): DB (webapp D1), WORKERS_DB (workers D1),
// PARTICIPANTS_CACHE (KV, optional), AUTH_CLIENT_LIMITER and AUTH_EMAIL_LIMITER
// (rate limiting, optional), VERIFICATION_OUTBOX (KV, optional: the stand-in
// mailer); vars: ADMIN_TOKEN, PARTICIPANTS_CACHE_TTL_SECONDS, LOG_VERIFICATION_TOKENS;
// secret RETAILER_SECRETS_KEY (base64 of 32 bytes) seals store connections' secrets.

import wasm from "../dist/eventuall.wasm"; // a WebAssembly.Module (CompiledWasm rule)
import { createEventuall, EventuallError, EventuallInstance } from "../eventuall.mjs";
import OPENAPI from "./openapi.mjs"; // generated from the contracts (scripts/contracts.sh)
import { createParticipantsCache, DEFAULT_TTL_SECONDS, INVALIDATING_OPERATIONS } from "./participants_cache.mjs";
import { PUBLIC_IDENTITY_OPERATIONS, publicIdentity } from "./verification.mjs";
import { openSecret, sameSecret, sealSecret, verifyDelivery } from "./webhooks.mjs";

const BOOKMARK_HEADER = "x-d1-bookmark";
const DEFAULT_SESSION = "first-unconstrained";
// Bookmarks are opaque to us (D1's look like 00000000-00000004-00000000-<32 hex>);
// only reject what cannot be one, so a header never reaches D1 unchecked.
const BOOKMARK = /^[A-Za-z0-9-]{1,256}$/;
const MAX_BODY_BYTES = 1 << 20;
const OPERATION_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const ADMIN_HEADER = "x-eventuall-admin-token";

// --- Who may run what -----------------------------------------------------------
//
// Decided by the core, not here: each operation declares its Policy (public,
// a user acting on themselves, an actor the core checks, or administrative)
// and the scope an API key needs for it (wasm/ops/operation.h, listed in each
// area's <area>_operations.cpp). The Worker only says who is calling, as the
// input's `auth`; the core authenticates it, applies the policy and sets
// actorUserId. A client's own `auth` or `actorUserId` never reaches the core.

// The input the core gets from `caller` ({admin} | {auth}).
function inputFor(caller, body) {
  if (caller.admin) return body;
  const { auth: _auth, actorUserId: _actor, ...input } = body;
  return { ...input, auth: caller.auth };
}

const STATUS_BY_CODE = Object.freeze({
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  db_error: 500,
  internal: 500,
  // The database and this build disagree on migrations: not the client's fault,
  // and over once migrations are applied (or the matching build deployed).
  schema_mismatch: 503,
});

function statusFor(outcome) {
  if (outcome?.ok) return 200;
  return STATUS_BY_CODE[outcome?.error?.code] ?? 500;
}

function failure(code, message) {
  return { ok: false, error: { code, message } };
}

function respond(outcome, options) {
  return respondText(JSON.stringify(outcome), outcome, options);
}

// The outcome's text as the core wrote it, sent as it is. `outcome` is the
// parsed outcome when the caller has it; a success is known by its first
// bytes, so only a failure (small) is parsed here, for its status.
const OK_PREFIX = '{"ok":true,';
function outcomeStatus(text) {
  return text.startsWith(OK_PREFIX) ? 200 : statusFor(JSON.parse(text));
}

function respondText(text, outcome, { status = outcome ? statusFor(outcome) : outcomeStatus(text), headers = {} } = {}) {
  return new Response(text, {
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

// Who sends the request: {admin: true}, {auth} for the core to check, or
// {error: outcome}.
async function identifyCaller(request, env) {
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
  if (header === null) return { auth: { anonymous: true } };
  const match = /^Bearer[ ]+([!-~]{1,512})$/i.exec(header.trim());
  if (!match) {
    return { error: failure("unauthenticated", "Authorization must be 'Bearer <session token or API key>'") };
  }
  const secret = match[1];
  return { auth: secret.startsWith("evk_") ? { apiKey: secret } : { sessionToken: secret } };
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
  // The same caller asks `can` about themselves; an admin caller about the actor its body names.
  const check = { eventId: input.eventId, permission: "participants.view" };
  const [allowed, page] = await Promise.all([
    input.auth
      ? eventuall.outcome("can", { ...check, auth: input.auth })
      : typeof input.actorUserId === "string"
        ? eventuall.outcome("can", { ...check, userId: input.actorUserId })
        : null,
    cache.lookup(input, { minBookmark: databases.incoming }),
  ]);
  if (page === null || !allowed?.ok || allowed.value.allowed !== true) {
    return { outcome: await eventuall.outcome("list_participants", input), cache: "bypass" };
  }
  if (page.value !== null) return { outcome: { ok: true, value: page.value }, cache: "hit" };
  // A miss: the page goes to the response as the core's text, and into KV as a value.
  const text = await eventuall.outcomeText("list_participants", input);
  const outcome = JSON.parse(text);
  if (outcome.ok) await page.store(outcome.value, databases.bookmark());
  return { text, outcome, cache: "miss" };
}

// After a successful operation, every route (/v1 and webhooks): the participant
// lists it changed are invalidated. Awaited: the client's next list, in this
// location, must see the change.
async function invalidateParticipants(cache, name, input, outcome) {
  if (cache && outcome.ok) await cache.invalidateAfter(name, input, outcome.value);
}

// Runs one operation for the request: body is a plain object.
async function runOperation(request, env, name, body) {
  const databases = openDatabases(request, env);
  if (!databases) {
    return respond(failure("invalid_input", `malformed ${BOOKMARK_HEADER} header`));
  }
  const eventuall = createEventuall(databases.bindings, { instance: eventuallInstance() });
  const caller = await identifyCaller(request, env);
  if (caller.error) return respond(caller.error, { headers: databases.bookmarkHeaders() });
  const input = inputFor(caller, body);

  const cache = participantsCache(env);
  if (!caller.admin && PUBLIC_IDENTITY_OPERATIONS.includes(name)) {
    const answered = await publicIdentity(name, request, env, eventuall, input);
    if (cache && answered.outcome.ok) await cache.invalidateAfter(name, input, answered.outcome.value);
    const headers = { ...databases.bookmarkHeaders(), ...answered.headers };
    return respond(answered.outcome, { ...(answered.status ? { status: answered.status } : {}), headers });
  }
  if (cache && name === "list_participants") {
    const listed = await listParticipants(eventuall, cache, input, databases);
    const headers = { ...databases.bookmarkHeaders(), "x-cache": listed.cache };
    if (listed.text !== undefined) return respondText(listed.text, listed.outcome, { headers });
    return respond(listed.outcome, { headers });
  }
  // The outcome's text is the response body, unparsed: it is parsed only when
  // the participants cache needs the value to know which lists it changed.
  const text = await eventuall.outcomeText(name, input);
  if (cache && INVALIDATING_OPERATIONS.includes(name)) {
    const outcome = JSON.parse(text);
    await invalidateParticipants(cache, name, input, outcome);
    return respondText(text, outcome, { headers: databases.bookmarkHeaders() });
  }
  return respondText(text, null, { headers: databases.bookmarkHeaders() });
}

// The request body as a JSON object ({value}), or an outcome explaining why not.
// maxBytes: the operation's own input cap (the bulk writes take more).
async function readJsonObject(request, maxBytes) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) {
    return { error: failure("invalid_input", `request body larger than ${maxBytes} bytes`), status: 413 };
  }
  // Counted in bytes (a chunked body has no content-length; text.length would
  // count UTF-16 units, a third of the bytes of CJK text).
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > maxBytes) {
    return { error: failure("invalid_input", `request body larger than ${maxBytes} bytes`), status: 413 };
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { error: failure("invalid_input", "request body is not UTF-8") };
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
//
// POST /webhooks/<retailer>/<connectionId>: one URL per store connection, as
// the retailer registers it. The connection's sealed secrets come from the
// core, are opened with RETAILER_SECRETS_KEY, and the raw body must verify
// under one of them (two during a rotation) before anything is parsed. The
// core then takes the action from the signed body (receive_webhook), never
// from X-Shopify-Topic; X-Shopify-Webhook-Id is passed as the delivery id
// (Stripe's event id is read from the body), so a replay is a no-op.

const WEBHOOK_RETAILERS = ["shopify", "stripe", "eventbrite"];

async function receiveWebhook(request, env, retailer, connectionId, url) {
  if (!WEBHOOK_RETAILERS.includes(retailer)) {
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
  // A verified delivery is a trusted call: no actor.
  const eventuall = createEventuall({ webapp: env.DB, workers: env.WORKERS_DB }, { instance: eventuallInstance() });
  const found = await eventuall.outcome("get_retailer_connection_secrets", { id: connectionId });
  if (!found.ok || found.value.connection.retailer !== retailer) {
    // Unknown connections and malformed ids look the same: no such webhook.
    return respond(failure("not_found", `no ${retailer} connection ${connectionId.slice(0, 64)}`));
  }
  if (!sealingConfigured(env)) return respond(failure("unauthenticated", "store webhooks are not configured"));
  const secrets = [];
  for (const sealed of found.value.secretCiphertexts) {
    const secret = await openSecret(env.RETAILER_SECRETS_KEY, sealed);
    if (secret !== null) secrets.push(secret);
  }
  const verified = await verifyDelivery(retailer, bytes, { headers: request.headers, url }, secrets);
  if (!verified.ok) return respond(failure("unauthenticated", verified.reason));

  let rawText;
  try {
    rawText = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return respond(failure("invalid_input", "webhook body is not UTF-8"));
  }
  const input = { connectionId, retailer, payload: rawText };
  const deliveryId = retailer === "shopify" ? request.headers.get("x-shopify-webhook-id") : null;
  if (deliveryId) input.deliveryId = deliveryId;
  const outcome = await eventuall.outcome("receive_webhook", input);
  // An order gives access, a refund or cancellation takes it back.
  await invalidateParticipants(participantsCache(env), "receive_webhook", input, outcome);
  return respond(outcome);
}

// Connection secrets arrive in clear from the account owner ({secret}) and
// reach the core only sealed ({secretCiphertext}).
const SEALS_SECRET = new Set(["create_retailer_connection", "rotate_retailer_connection_secret"]);

// Without a well-formed RETAILER_SECRETS_KEY nothing is sealed or opened.
function sealingConfigured(env) {
  const key = env.RETAILER_SECRETS_KEY;
  return typeof key === "string" && /^[A-Za-z0-9+/]{43}=$/.test(key.trim());
}

async function sealConnectionSecret(name, body, env) {
  if (!SEALS_SECRET.has(name) || !("secret" in body)) return body;
  if (!sealingConfigured(env)) {
    return { error: failure("forbidden", "store connections are not configured (RETAILER_SECRETS_KEY)") };
  }
  const { secret, ...rest } = body;
  if (typeof secret !== "string" || secret.length < 8 || secret.length > 500) {
    return { error: failure("invalid_input", "secret must be a string of 8 to 500 characters") };
  }
  return { ...rest, secretCiphertext: await sealSecret(env.RETAILER_SECRETS_KEY, secret) };
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
  if (path === "/v1/openapi.json") {
    if (method !== "GET") return methodNotAllowed("GET");
    return Response.json(OPENAPI);
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
    const body = await readJsonObject(request, eventuallInstance().maxInputBytes(name));
    if (body.error) return respond(body.error, body.status ? { status: body.status } : {});
    const sealed = await sealConnectionSecret(name, body.value, env);
    if (sealed.error) return respond(sealed.error);
    return runOperation(request, env, name, sealed);
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
