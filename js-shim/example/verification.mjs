// The public sign-up and email verification routes of the example Worker
// (issue 14: an anonymous caller must not learn whether an email is
// registered, and nothing is claimed before the email is verified).
//
//   POST /v1/sign_up       {email, name, ...}: always {status: "verification_sent"}
//                          for a valid input, whether the email is new, held by
//                          an unverified user or verified. The token (or an
//                          "already registered" notice) goes to the mailer, never
//                          into the response.
//   POST /v1/verify_email  {token}: the core's answer (the user, claimedGrants);
//                          the token is the credential.
// The admin caller (a trusted backend) bypasses this module: its sign_up gets
// the core's full result, token included, and is not rate limited.
//
// Rate limits: the Workers Rate Limiting binding (wrangler.toml [[ratelimits]]),
// AUTH_CLIENT_LIMITER per client (cf-connecting-ip) and route, and
// AUTH_EMAIL_LIMITER per email address for sign_up. Chosen over a Durable
// Object counter because it needs no storage, no class or migration, and adds
// no round trip to a single object on every sign-up; its counts are per
// Cloudflare location and approximate, which is enough here: the uniform answer
// already removes the registration oracle, and the limits cap probing and mail
// bombing rather than enforce a quota. Miniflare runs the binding locally. A
// deployment without the bindings runs without limits (as without
// PARTICIPANTS_CACHE); wrangler.toml declares them.
//
// The mailer: with a KV binding VERIFICATION_OUTBOX the message is written there
// under `outbox:<email>` (10 minutes) for a mail sender to pick up; with
// LOG_VERIFICATION_TOKENS = "true" (development only, .dev.vars) it is logged;
// otherwise it is dropped with a warning. Replace deliver() with a real mail
// call in production.

export const CLIENT_LIMITER = "AUTH_CLIENT_LIMITER";
export const EMAIL_LIMITER = "AUTH_EMAIL_LIMITER";
export const OUTBOX_TTL_SECONDS = 600;
// What sign_up answers when the input is valid, whatever the email's state.
export const VERIFICATION_SENT = Object.freeze({ status: "verification_sent" });

// The operations this module answers for non-admin callers.
export const PUBLIC_IDENTITY_OPERATIONS = Object.freeze(["sign_up", "verify_email"]);

const RATE_LIMITED = Object.freeze({
  ok: false,
  error: { code: "rate_limited", message: "too many requests; try again in a minute" },
});

// The client a limit counts against: Cloudflare sets cf-connecting-ip.
function clientKey(request) {
  return request.headers.get("cf-connecting-ip") ?? "unknown";
}

// The email as the core stores it (trimmed, lower case), or null.
function normalizedEmail(value) {
  return typeof value === "string" ? value.trim().toLowerCase() : null;
}

async function withinLimit(limiter, key) {
  if (!limiter) return true;
  const { success } = await limiter.limit({ key });
  return success;
}

async function deliver(env, message) {
  if (env.VERIFICATION_OUTBOX) {
    await env.VERIFICATION_OUTBOX.put(`outbox:${message.email}`, JSON.stringify(message), {
      expirationTtl: OUTBOX_TTL_SECONDS,
    });
    return;
  }
  if (env.LOG_VERIFICATION_TOKENS === "true") {
    console.log("eventuall-data: verification mail", JSON.stringify(message));
    return;
  }
  console.warn("eventuall-data: no VERIFICATION_OUTBOX; a verification mail was dropped");
}

// {outcome, status?} for a non-admin caller's sign_up or verify_email.
export async function publicIdentity(name, request, env, eventuall, input) {
  const limited = { outcome: RATE_LIMITED, status: 429, headers: { "retry-after": "60" } };
  if (!(await withinLimit(env[CLIENT_LIMITER], `${name}:${clientKey(request)}`))) return limited;
  if (name === "verify_email") return { outcome: await eventuall.outcome("verify_email", input) };

  const email = normalizedEmail(input.email);
  if (email !== null && !(await withinLimit(env[EMAIL_LIMITER], `sign_up:${email}`))) return limited;
  const outcome = await eventuall.outcome("sign_up", input);
  if (outcome.ok) {
    const { user, verification } = outcome.value;
    await deliver(env, { kind: "verify_email", email: user.email, ...verification });
  } else if (outcome.error.code === "conflict") {
    // Verified already: tell the owner, tell the caller nothing.
    await deliver(env, { kind: "already_registered", email });
  } else {
    // Malformed input (or a database failure) says nothing about the email.
    return { outcome };
  }
  return { outcome: { ok: true, value: VERIFICATION_SENT } };
}
