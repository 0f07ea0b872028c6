// Webhook authenticity, checked with WebCrypto on the RAW request body before
// anything is parsed or ingested (a re-serialised body would not match).
//
//   Shopify:    X-Shopify-Hmac-Sha256 = base64(HMAC-SHA256(secret, body))
//   Stripe:     Stripe-Signature = "t=<unix>,v1=<hex>[,v1=<hex>...]" where each
//               v1 = hex(HMAC-SHA256(secret, "<t>.<body>")); t must be within
//               the tolerance (default 300 s) of now, so a captured request
//               cannot be replayed later
//   Eventbrite: its webhooks are not signed; the route carries a shared token
//               (?token=...) that must equal the configured secret
//
// Every comparison is constant-time over bytes of equal length (a MAC's
// length is public). Each function answers {ok: true} or {ok: false, reason}.

const encoder = new TextEncoder();

export const STRIPE_TOLERANCE_SECONDS = 300;

async function hmacSha256(secret, bytes) {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
}

function toBytes(body) {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  return new Uint8Array(body); // ArrayBuffer
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// Constant-time equality of two byte arrays of the same length.
export function sameBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}

function base64Bytes(text) {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function hexBytes(text) {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function configured(secret) {
  return typeof secret === "string" && secret !== "";
}

export async function verifyShopify(rawBody, header, secret) {
  if (!configured(secret)) return { ok: false, reason: "Shopify webhooks are not configured" };
  if (typeof header !== "string" || header === "") return { ok: false, reason: "missing X-Shopify-Hmac-Sha256" };
  const given = base64Bytes(header.trim());
  const expected = await hmacSha256(secret, toBytes(rawBody));
  return sameBytes(given, expected) ? { ok: true } : { ok: false, reason: "bad X-Shopify-Hmac-Sha256" };
}

// "t=1,v1=ab,v1=cd,v0=ef" -> {timestamp: 1, signatures: ["ab", "cd"]}
export function parseStripeSignature(header) {
  const out = { timestamp: null, signatures: [] };
  for (const part of String(header).split(",")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) out.timestamp = Number(value);
    else if (key === "v1") out.signatures.push(value);
  }
  return out;
}

export async function verifyStripe(
  rawBody,
  header,
  secret,
  { toleranceSeconds = STRIPE_TOLERANCE_SECONDS, nowSeconds = Math.floor(Date.now() / 1000) } = {},
) {
  if (!configured(secret)) return { ok: false, reason: "Stripe webhooks are not configured" };
  if (typeof header !== "string" || header === "") return { ok: false, reason: "missing Stripe-Signature" };
  const { timestamp, signatures } = parseStripeSignature(header);
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: "malformed Stripe-Signature" };
  const expected = await hmacSha256(secret, concat(encoder.encode(`${timestamp}.`), toBytes(rawBody)));
  // Every candidate is compared (no early exit), then the timestamp is judged.
  let matched = false;
  for (const signature of signatures) matched = sameBytes(hexBytes(signature), expected) || matched;
  if (!matched) return { ok: false, reason: "bad Stripe-Signature" };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { ok: false, reason: `Stripe-Signature timestamp outside the ${toleranceSeconds} s tolerance` };
  }
  return { ok: true };
}

// Equality of two secrets in constant time: both are hashed first, so neither
// the length nor the first differing byte shows in the timing.
export async function sameSecret(given, expected) {
  const [a, b] = await Promise.all(
    [given, expected].map(async (s) => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(s)))),
  );
  return sameBytes(a, b);
}

export async function verifyToken(given, secret) {
  if (!configured(secret)) return { ok: false, reason: "Eventbrite webhooks are not configured" };
  if (typeof given !== "string" || given === "") return { ok: false, reason: "missing token" };
  return (await sameSecret(given, secret)) ? { ok: true } : { ok: false, reason: "bad token" };
}

// Test and tooling helpers: the headers a retailer would send for a body.
export async function shopifySignature(rawBody, secret) {
  const mac = await hmacSha256(secret, toBytes(rawBody));
  return btoa(String.fromCharCode(...mac));
}

export async function stripeSignature(rawBody, secret, timestamp) {
  const mac = await hmacSha256(secret, concat(encoder.encode(`${timestamp}.`), toBytes(rawBody)));
  return `t=${timestamp},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

// --- Store connections' signing secrets ------------------------------------------
//
// A connection's signing secret is sealed here, in the Worker, and only the
// sealed form reaches the core and D1: base64(iv || AES-256-GCM(secret)), with
// a fresh 12-byte IV per seal and a fixed associated-data label, under a key
// from the Worker secret RETAILER_SECRETS_KEY (base64 of 32 random bytes:
// `openssl rand -base64 32 | wrangler secret put RETAILER_SECRETS_KEY`).

const SEAL_LABEL = encoder.encode("eventuall retailer connection secret v1");

async function sealingKey(keyText) {
  const raw = typeof keyText === "string" ? base64Bytes(keyText.trim()) : null;
  if (!raw || raw.length !== 32) throw new Error("RETAILER_SECRETS_KEY must be base64 of 32 bytes");
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}

function bytesBase64(bytes) {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

export async function sealSecret(keyText, secret) {
  const key = await sealingKey(keyText);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: SEAL_LABEL }, key, encoder.encode(secret)),
  );
  return bytesBase64(concat(iv, sealed));
}

// The secret in clear, or null when the text was not sealed under this key.
export async function openSecret(keyText, sealedText) {
  const key = await sealingKey(keyText);
  const bytes = typeof sealedText === "string" ? base64Bytes(sealedText) : null;
  if (!bytes || bytes.length < 12 + 16) return null;
  try {
    const clear = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: SEAL_LABEL },
      key,
      bytes.subarray(12),
    );
    return new TextDecoder().decode(clear);
  } catch {
    return null;
  }
}

// Whether a delivery verifies under any of the connection's valid secrets
// (two during a rotation): {ok: true} or {ok: false, reason}. Every secret is
// tried, so the timing does not say which one matched.
export async function verifyDelivery(retailer, bytes, { headers, url, nowSeconds } = {}, secrets) {
  const results = await Promise.all(
    secrets.map((secret) => {
      if (retailer === "shopify") return verifyShopify(bytes, headers.get("x-shopify-hmac-sha256"), secret);
      if (retailer === "stripe") {
        return verifyStripe(bytes, headers.get("stripe-signature"), secret, nowSeconds === undefined ? {} : { nowSeconds });
      }
      return verifyToken(url.searchParams.get("token"), secret);
    }),
  );
  return results.find((r) => r.ok) ?? results[0] ?? { ok: false, reason: "no signing secret" };
}
