// Example Worker: an HTTP JSON API over the Eventuall operations.
//
//   GET  /health                      liveness, no database access
//   GET  /v1/operations               the operation names
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
// PARTICIPANTS_CACHE (KV, optional); vars: ADMIN_TOKEN, PARTICIPANTS_CACHE_TTL_SECONDS;
// secret RETAILER_SECRETS_KEY (base64 of 32 bytes) seals store connections' secrets.

import wasm from "../dist/eventuall.wasm"; // a WebAssembly.Module (CompiledWasm rule)
import { createEventuall, EventuallError, EventuallInstance } from "../eventuall.mjs";
import { createParticipantsCache, DEFAULT_TTL_SECONDS } from "./participants_cache.mjs";
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
//   PUBLIC    anyone, credentials or not; the body as is (minus actorUserId).
//   ACTOR     a user; actorUserId := the user. The core decides what the actor
//             may do (account ownership, grants), as it does for every actor.
//   self(f)   a user acting on themselves: input[f] must be the user's own id
//             (filled in when absent; another id is 403 forbidden).
//   inAccount a user, and the input must name an accountId (else 403): with an
//             actor the core only lets owners of that account change it.
//   ADMIN     the admin caller only (403 for users).
// An admin caller bypasses the table. Operations missing from it are ADMIN:
// a new operation is unreachable by users until someone decides its policy.
const PUBLIC = Object.freeze({ public: true });
const ACTOR = Object.freeze({});
const ADMIN = Object.freeze({ admin: true });
const self = (field, { fill = true } = {}) => Object.freeze({ self: field, fill });
const inAccount = Object.freeze({ requires: "accountId" });

const POLICY = Object.freeze({
  // identity
  sign_up: PUBLIC,
  consume_login_token: PUBLIC, // the one-time token in the body is the credential
  sign_in_with_provider: ADMIN, // asserts a provider identity + verified email (see header)
  link_provider: ADMIN, // same assertion: only the backend that ran the OAuth flow may make it
  unlink_provider: self("userId"),
  get_user: self("id"),
  create_session: self("userId"),
  validate_session: ACTOR, // the token in the body is the credential
  extend_session: ACTOR, // idem
  revoke_session: self("userId", { fill: false }), // {token} needs no userId; {sessionId, userId} names oneself
  revoke_user_sessions: self("userId"),
  issue_login_token: self("userId"),
  create_api_key: self("userId"),
  list_api_keys: self("userId"),
  revoke_api_key: self("userId"),
  authenticate_api_key: ACTOR, // the key in the body is the credential
  // accounts: the core checks that the actor owns accountId
  create_account: ACTOR,
  rename_account: ACTOR,
  add_account_owner: ACTOR,
  remove_account_owner: ACTOR,
  list_user_accounts: self("userId"),
  // events: the core checks ownership or event.view / event.manage
  create_event: ACTOR,
  get_event: ACTOR,
  list_account_events: ACTOR,
  // rbac: permission checks about oneself only (about others they would leak
  // other tenants' grants); the permission catalog and platform-wide roles
  // are administrative; account roles, grants and invitations are checked by
  // the core against the actor.
  can: self("userId"),
  explain_permission: self("userId"),
  effective_permissions: self("userId"),
  define_permission: ADMIN,
  define_role: inAccount, // without accountId: a platform-wide role
  add_role_permission: ACTOR, // with an actor the core only lets the role's account owners; platform roles stay admin-only
  add_role_inheritance: ACTOR, // idem
  grant_access: ACTOR,
  revoke_access: ACTOR,
  invite: ACTOR,
  list_participants: ACTOR,
  // orders: the core checks event.manage (tickets, SKU mappings) or
  // order.manage (orders) against the actor; webhooks use their own routes.
  create_ticket: ACTOR,
  update_ticket: ACTOR,
  delete_ticket: ACTOR,
  list_tickets: ACTOR, // event.view
  create_sku_mapping: ACTOR,
  list_sku_mappings: ACTOR,
  delete_sku_mapping: ACTOR,
  ingest_order: ACTOR, // an organiser's manual order (or an import) needs order.manage
  get_order: ACTOR,
  refund_order: ACTOR,
  cancel_order: ACTOR,
  // store connections: the core lets only the account's owners; the secret is
  // sealed here first (sealConnectionSecret). Their secrets and webhook
  // deliveries are for the webhook route only (ADMIN).
  create_retailer_connection: ACTOR,
  list_retailer_connections: ACTOR,
  delete_retailer_connection: ACTOR,
  rotate_retailer_connection_secret: ACTOR,
  get_retailer_connection_secrets: ADMIN,
  receive_webhook: ADMIN,
  // recording: the core checks recording.manage (start) or event.view (reads)
  // in the webapp; lifecycle, stage events, clips and logs come from the
  // coordinator, workflow and service layers, which are trusted backends.
  start_recording: ACTOR,
  get_recording: ACTOR,
  list_recordings: ACTOR,
  list_clips: ACTOR,
  transition_recording: ADMIN,
  append_stage_events: ADMIN,
  generate_clips: ADMIN,
  append_logs: ADMIN,
  query_logs: ADMIN,
  prune_logs: ADMIN,
});

// The input the core gets for `name` from `caller` ({admin} | {user} | {}), or
// {error: outcome}.
function authorize(name, caller, body) {
  if (caller.admin) return { input: body };
  // Only an admin may name the actor; for everyone else it is the caller.
  const { actorUserId: _ignored, ...input } = body;
  const policy = Object.hasOwn(POLICY, name) ? POLICY[name] : ADMIN; // never an inherited "constructor"
  if (policy.public) return { input };
  if (!caller.user) {
    return { error: failure("unauthenticated", `${name} needs Authorization: Bearer <session token or API key>`) };
  }
  if (policy.admin) return { error: failure("forbidden", `${name} is administrative`) };
  if (policy.requires && (input[policy.requires] === undefined || input[policy.requires] === null)) {
    return { error: failure("forbidden", `${name} without ${policy.requires} is administrative`) };
  }
  if (policy.self) {
    const named = input[policy.self];
    if (named === undefined || named === null) {
      if (policy.fill) input[policy.self] = caller.user;
    } else if (named !== caller.user) {
      return { error: failure("forbidden", `${name}: ${policy.self} must be your own user id`) };
    }
  }
  return { input: { ...input, actorUserId: caller.user } };
}

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
  const cache = participantsCache(env);
  if (cache && outcome.ok) await cache.invalidateAfter("receive_webhook", input, outcome.value);
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
