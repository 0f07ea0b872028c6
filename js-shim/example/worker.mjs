// Example Worker: an HTTP JSON API over the Eventuall operations.
//
//   GET  /health                      liveness, no database access
//   GET  /v1/operations               the operation names
//   POST /v1/<operation>              JSON body = the operation's input
//   GET  /v1/users/:id                get_user
//   GET  /v1/events/:id               get_event             (needs an actor)
//   GET  /v1/accounts/:id/events      list_account_events   (needs an actor;
//                                     ?status=&limit=&cursor=)
//
// The actor: `Authorization: Bearer <session token>` (validate_session) or
// `Bearer evk_...` (an MCP API key, authenticate_api_key) makes the
// authenticated user the input's actorUserId, replacing any actorUserId in the
// body. Without Authorization, POST /v1/<operation> passes its body to the core
// as is, actorUserId included: that route is a TRUSTED-CALLER interface (local
// development, a backend behind a service binding), not one to expose publicly.
//
// Every /v1 response body is an outcome: {"ok":true,"value":...} or
// {"ok":false,"error":{"code","message"}}, with the HTTP status mapped from the
// code. D1 read replication: the request's `x-d1-bookmark` header (none means
// "first-unconstrained") opens a session on env.DB, and the response carries the
// session's new bookmark in `x-d1-bookmark` for the client's next request.
//
// Bindings (wrangler.toml): DB (webapp D1), WORKERS_DB (workers D1).

import wasm from "../dist/eventuall.wasm"; // a WebAssembly.Module (CompiledWasm rule)
import { createEventuall, EventuallError, EventuallInstance } from "../eventuall.mjs";

const BOOKMARK_HEADER = "x-d1-bookmark";
const DEFAULT_SESSION = "first-unconstrained";
// Bookmarks are opaque to us (D1's look like 00000000-00000004-00000000-<32 hex>);
// only reject what cannot be one, so a header never reaches D1 unchecked.
const BOOKMARK = /^[A-Za-z0-9-]{1,256}$/;
const MAX_BODY_BYTES = 1 << 20;
const OPERATION_NAME = /^[a-z][a-z0-9_]{0,63}$/;

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
    // The bookmark to hand back: the session's latest, or the client's own when
    // nothing ran (so a client never loses its position).
    bookmarkHeaders() {
      if (!session) return {};
      const bookmark = session.getBookmark?.() ?? incoming;
      return bookmark ? { [BOOKMARK_HEADER]: bookmark } : {};
    },
  };
}

// The user a request acts as, from its Authorization header: {actor} (null
// without the header) or {error: outcome}. Runs in the request's D1 session, so
// a session created by the client's previous request is seen.
async function authenticate(request, eventuall) {
  const header = request.headers.get("authorization");
  if (header === null) return { actor: null };
  const match = /^Bearer[ ]+([!-~]{1,512})$/i.exec(header.trim());
  if (!match) {
    return { error: failure("unauthenticated", "Authorization must be 'Bearer <session token or API key>'") };
  }
  const secret = match[1];
  const outcome = secret.startsWith("evk_")
    ? await eventuall.outcome("authenticate_api_key", { key: secret })
    : await eventuall.outcome("validate_session", { token: secret });
  if (outcome.ok) return { actor: outcome.value.user.id };
  // A secret the core finds malformed is as good as an unknown one.
  if (outcome.error.code === "invalid_input") return { error: failure("unauthenticated", outcome.error.message) };
  return { error: outcome };
}

// Runs one operation for the request: input is a plain object.
async function runOperation(request, env, name, input, { needsActor = false } = {}) {
  const databases = openDatabases(request, env);
  if (!databases) {
    return respond(failure("invalid_input", `malformed ${BOOKMARK_HEADER} header`));
  }
  const eventuall = createEventuall(databases.bindings, { instance: eventuallInstance() });
  const auth = await authenticate(request, eventuall);
  if (auth.error) return respond(auth.error, { headers: databases.bookmarkHeaders() });
  if (auth.actor !== null) {
    input = { ...input, actorUserId: auth.actor };
  } else if (needsActor) {
    return respond(failure("unauthenticated", "this route needs Authorization: Bearer <session token or API key>"), {
      headers: databases.bookmarkHeaders(),
    });
  }
  const outcome = await eventuall.outcome(name, input);
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
    return runOperation(request, env, "get_event", { id: rest[1] }, { needsActor: true });
  }
  if (rest.length === 3 && rest[0] === "accounts" && rest[2] === "events") {
    if (method !== "GET") return methodNotAllowed("GET");
    return runOperation(request, env, "list_account_events", listInput(rest[1], url.searchParams), {
      needsActor: true,
    });
  }

  // POST /v1/<operation>.
  if (rest.length === 1) {
    if (method !== "POST") return methodNotAllowed("POST");
    const name = rest[0];
    if (!OPERATION_NAME.test(name)) {
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
