// Who may run what: the one authorization table of the callers the core does not
// authenticate itself, shared by the example Worker's HTTP API (example/worker.mjs) and the
// RPC service (service.mjs). The caller is established by the calling code, never read from
// the input: {admin: true} (a trusted backend), {user: id} (an authenticated user) or {}
// (anonymous).
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

export const POLICY = Object.freeze({
  // identity
  sign_up: PUBLIC,
  consume_login_token: PUBLIC, // the one-time token in the body is the credential
  sign_in_with_provider: ADMIN, // asserts a provider identity + verified email (see example/worker.mjs)
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
export function authorize(name, caller, body) {
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

function failure(code, message) {
  return { ok: false, error: { code, message } };
}
