// Cache of list_participants pages in a KV namespace (binding PARTICIPANTS_CACHE),
// used by the example Worker. Optional: without the binding there is no cache.
//
// KV keys:
//   participants:page:<eventId>:<limit>:<offset>  {at, version, epoch, bookmark, value}
//   participants:v:<eventId>                      the version of the event's lists
//   participants:v:*                              the epoch of every event's lists
// A page is served only if
//   - it is younger than ttlSeconds (its own `at`: KV cannot expire anything
//     sooner than 60 s, so the TTL is enforced here, never by KV alone);
//   - its version and epoch are still the current ones: a change bumps them
//     (a new random value, one blind put, no read-modify-write race);
//   - it was read from D1 no earlier than the client's bookmark, when the
//     client sent one: with read replicas a fill may come from a lagging
//     replica, and a client that just wrote must not get a page without it.
// The page and the versions are read in one parallel round of KV reads; the
// versions recorded with a fill are those read BEFORE the D1 read, so a change
// committed while the page was being read leaves the fill already stale.
//
// What the cache does NOT do: decide who may see a page. A page is the core's
// answer for an event and is the same for every actor allowed to see it
// (participants.view, checked by the core in the same statement), so the
// Worker checks that permission on every request, hit or miss.
//
// KV is eventually consistent: a bump is visible at once where it was written,
// elsewhere within about a minute. Whatever KV propagates, a page older than
// ttlSeconds is never served, so ttlSeconds is the staleness bound everywhere;
// invalidation makes lists fresh sooner.

export const DEFAULT_TTL_SECONDS = 30;
const KV_MIN_EXPIRATION_TTL = 60; // KV rejects expirationTtl below 60 s
// Version keys expire after a day. A version that expired reads as null again,
// which only matches pages filled before the first bump: those are a day old,
// far older than the TTL, so they are never served.
const VERSION_EXPIRATION_TTL = 24 * 60 * 60;
const EPOCH_KEY = "participants:v:*";
const EVENT_ID = /^[a-z][0-9a-z]{1,63}$/;
const START_BOOKMARKS = new Set(["first-primary", "first-unconstrained"]);

const versionKey = (eventId) => `participants:v:${eventId}`;
// Absent limit/offset keep the core's defaults: "d" in the key.
const pagePart = (n) => (n === undefined || n === null ? "d" : Number.isSafeInteger(n) && n >= 0 ? String(n) : null);

// The KV key of a list_participants input, or null when the input is not one
// the cache should hold (the core then answers, and rejects it if invalid).
export function pageKey(input) {
  if (typeof input?.eventId !== "string" || !EVENT_ID.test(input.eventId)) return null;
  const limit = pagePart(input.limit);
  const offset = pagePart(input.offset);
  if (limit === null || offset === null) return null;
  return `participants:page:${input.eventId}:${limit}:${offset}`;
}

// The events whose participant lists a successful operation changed: an array
// of event ids, or ALL_EVENTS. Operations not listed change none.
export const ALL_EVENTS = "*";
const claims = (input, value) => (value?.claimedGrants > 0 ? ALL_EVENTS : []);
function orderEvents(input, value) {
  // eventIds: the events the order gave access in, also once refunded (older
  // cores: the events of its grants and invitations).
  const rows = [...(value?.accessGrants ?? []), ...(value?.invitations ?? [])];
  const named = [value?.order?.eventId ?? input.eventId, ...(value?.eventIds ?? []), ...rows.map((r) => r?.eventId)];
  return [...new Set(named.filter((e) => typeof e === "string"))];
}
const CHANGES = {
  grant_access: (input, value) => [value?.grant?.eventId ?? input.eventId],
  revoke_access: (input, value) => [value?.revoked?.eventId],
  invite: (input) => [input.eventId],
  // Claiming invitations turns pending profiles into users. The core reports
  // how many grants it claimed, not for which events, so every list goes
  // (only verifications whose email had invitations pay this). sign_up
  // claims nothing: claims wait for a verified email.
  verify_email: claims,
  sign_in_with_provider: claims,
  link_provider: claims,
  accept_invitations: claims,
  // Orders give and take access (grants with source "order", invitations) in
  // the events of their items: the events named by the order's access rows.
  ingest_order: orderEvents,
  refund_order: orderEvents,
  cancel_order: orderEvents,
  receive_webhook: orderEvents,
  // Shrinking the catalog changes what holders hold; deleting a role with
  // revokeGrants names the events whose grants it removed.
  remove_role_permission: (input, value) => (value?.removed ? ALL_EVENTS : []),
  remove_role_inheritance: (input, value) => (value?.removed ? ALL_EVENTS : []),
  delete_role: (input, value) => value?.events ?? [],
};
// The operations above. tests/js/participants_cache.test.mjs derives the ones
// that write access_grants, invitations or pending_profiles from the fixtures
// and fails when one is missing here.
export const INVALIDATING_OPERATIONS = Object.freeze(Object.keys(CHANGES));

export function changedEvents(operation, input, value) {
  const changes = CHANGES[operation]?.(input ?? {}, value);
  if (changes === ALL_EVENTS) return ALL_EVENTS;
  return (changes ?? []).filter((id) => typeof id === "string" && EVENT_ID.test(id));
}

// A cache over `kv` (a KV namespace binding), or null without one. `now` and
// `newVersion` are replaceable for tests.
export function createParticipantsCache(
  kv,
  { ttlSeconds = DEFAULT_TTL_SECONDS, now = () => Date.now(), newVersion = () => crypto.randomUUID() } = {},
) {
  if (!kv) return null;
  if (!(ttlSeconds > 0)) throw new RangeError("ttlSeconds must be positive");
  const ttlMs = ttlSeconds * 1000;
  const expirationTtl = Math.max(KV_MIN_EXPIRATION_TTL, Math.ceil(ttlSeconds));

  // A failing KV must not fail the request: a read error is a miss (the core
  // answers), a write error only costs freshness up to the TTL.
  const logged = (what) => (e) => {
    console.error(`participants cache: ${what} failed`, e?.message ?? e);
    return null;
  };

  const bump = (key) => kv.put(key, newVersion(), { expirationTtl: VERSION_EXPIRATION_TTL });

  return {
    ttlSeconds,

    // Looks up the page of `input`. null: not cacheable (or KV failed).
    // Otherwise {value, store}: value is the cached page or null (a miss), and
    // store(page, bookmark) fills the entry with a page read after this call.
    // minBookmark: the D1 bookmark the client sent, if any.
    async lookup(input, { minBookmark = null } = {}) {
      const key = pageKey(input);
      if (key === null) return null;
      const readAt = now(); // before the D1 read: a page's age is never understated
      const read = await Promise.all([
        kv.get(key, { type: "json" }),
        kv.get(versionKey(input.eventId)),
        kv.get(EPOCH_KEY),
      ]).catch(logged("read"));
      if (read === null) return null;
      const [entry, version, epoch] = read;
      const clientAhead =
        typeof minBookmark === "string" &&
        !START_BOOKMARKS.has(minBookmark) &&
        !(typeof entry?.bookmark === "string" && entry.bookmark >= minBookmark);
      const fresh =
        entry !== null &&
        typeof entry.at === "number" &&
        now() - entry.at < ttlMs &&
        entry.version === version &&
        entry.epoch === epoch &&
        !clientAhead;
      return {
        value: fresh ? entry.value : null,
        store: (value, bookmark = null) =>
          kv
            .put(key, JSON.stringify({ at: readAt, version, epoch, bookmark, value }), { expirationTtl })
            .catch(logged("write")),
      };
    },

    // After a successful operation: bumps the versions of the lists it changed.
    async invalidateAfter(operation, input, value) {
      const events = changedEvents(operation, input, value);
      const keys = events === ALL_EVENTS ? [EPOCH_KEY] : events.map(versionKey);
      await Promise.all(keys.map(bump)).catch(logged("invalidation"));
      return events;
    },
  };
}
