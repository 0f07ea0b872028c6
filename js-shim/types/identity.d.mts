// Identity: users, sign-up and provider sign-in, email verification, login
// sessions, MCP one-time login tokens and MCP API keys. Pending invitations,
// orders and room access issued to an email are claimed only once the email is
// verified (verifyEmail, or a provider sign-in with emailVerified: true). Secrets (session tokens, login tokens, API
// keys) are returned once, by the call that creates them; only their SHA-256
// is stored, and no result ever carries a hash.

import type { McpApiKeysRow, OperationInput, OperationOutput, SessionsRow, UserProvidersRow, UsersRow } from "./contracts.d.mts";

export type User = UsersRow;

/** The optional profile fields every way of creating a user accepts (birthdate: YYYY-MM-DD). */
export type ProfileInput = Pick<OperationInput<"sign_up">, "pronouns" | "location" | "birthdate" | "image">;

/** ttlSeconds: lifetime of the verification token, 1 .. 7 days in seconds; default 1 day. */
export type SignUpInput = OperationInput<"sign_up">;

/** A one-time email verification token: mail it; shown only here. */
export type EmailVerification = OperationOutput<"issue_email_verification">;

/**
 * For the trusted caller only: a public route must answer the same for a new,
 * an unverified and a verified email (the example Worker answers
 * {status: "verification_sent"}). Claims nothing; conflict if the email is
 * verified already. `user`: the new user, or (created: false) the unverified
 * user that holds the email, whom whoever verifies takes over with this
 * profile; `account`: the new personal account, present only when created.
 */
export type SignUpResult = OperationOutput<"sign_up">;

/** claimedGrants: pending invitations of the email turned into access grants in the same batch. */
export type VerifyEmailResult = OperationOutput<"verify_email">;

// --- provider identities -------------------------------------------------------

export type Provider = UserProvidersRow["provider"];

export type UserProvider = UserProvidersRow;

/**
 * `email` is the one the provider reports; `name` is used only when a user is
 * created (default: the email's local part). emailVerified: the provider
 * asserts it verified `email`. Only then is an existing user with that email
 * linked (else conflict), the email marked verified and the email's pending
 * access claimed.
 */
export type SignInWithProviderInput = OperationInput<"sign_in_with_provider">;

/** account: present only when created (a new user); linked: this call wrote the link. */
export type SignInWithProviderResult = OperationOutput<"sign_in_with_provider">;

/**
 * email: the one the provider verified, required with emailVerified; if it is
 * the user's, it becomes verified and its pending access is claimed.
 */
export type LinkProviderInput = OperationInput<"link_provider">;

/** providerAccountId: only this account of the provider; default every link of the provider. */
export type UnlinkProviderInput = OperationInput<"unlink_provider">;

// --- login sessions ---------------------------------------------------------------

export type Session = SessionsRow;

/** ttlSeconds: 1 .. 365 days in seconds; default 30 days. */
export type CreateSessionInput = OperationInput<"create_session">;

/**
 * Revoke by the session's token, or by its id together with its user's id
 * (the contract declares all three optional; exactly one way must be given).
 */
export type RevokeSessionInput = OperationInput<"revoke_session"> &
  ({ token: string; sessionId?: never; userId?: never } | { token?: never; sessionId: string; userId: string });

// --- MCP login tokens and API keys ----------------------------------------------------

/** "<resource>:<action>", e.g. "events:read": one of the scopes the core knows. */
export type Scope = OperationInput<"create_api_key">["scopes"][number];

/** keyPrefix: the key's first 12 characters ("evk_" + 8), for display. */
export type ApiKey = Omit<McpApiKeysRow, "scopes"> & { scopes: Scope[] };

/** ttlSeconds: up to 5 years; default: never expires. */
export type CreateApiKeyInput = OperationInput<"create_api_key">;

export interface IdentityOperations {
  /** An unverified user and a verification token to mail (see SignUpResult). */
  signUp(input: SignUpInput): Promise<SignUpResult>;
  getUser(input: OperationInput<"get_user">): Promise<OperationOutput<"get_user">>;
  /** Find-or-create by provider identity, then by email; one atomic batch, race-safe. */
  signInWithProvider(input: SignInWithProviderInput): Promise<SignInWithProviderResult>;
  /** conflict if the provider account is linked already (to anyone). */
  linkProvider(input: LinkProviderInput): Promise<OperationOutput<"link_provider">>;
  /** Removing a user's last link is allowed. */
  unlinkProvider(input: UnlinkProviderInput): Promise<OperationOutput<"unlink_provider">>;

  /** The token is shown only here. */
  createSession(input: CreateSessionInput): Promise<OperationOutput<"create_session">>;
  /** unauthenticated if unknown, expired, revoked or malformed; records lastSeenAt. */
  validateSession(input: OperationInput<"validate_session">): Promise<OperationOutput<"validate_session">>;
  /** Sets expiry to at least now + ttlSeconds (never shortens). */
  extendSession(input: OperationInput<"extend_session">): Promise<OperationOutput<"extend_session">>;
  revokeSession(input: RevokeSessionInput): Promise<OperationOutput<"revoke_session">>;
  /** Revokes every live session and login token of the user; how many there were. */
  revokeUserSessions(input: OperationInput<"revoke_user_sessions">): Promise<OperationOutput<"revoke_user_sessions">>;

  /** ttlSeconds 1 .. 86400, default 600. The token is shown only here. */
  issueLoginToken(input: OperationInput<"issue_login_token">): Promise<OperationOutput<"issue_login_token">>;
  /** Succeeds once per token, however many consumers race. */
  consumeLoginToken(input: OperationInput<"consume_login_token">): Promise<OperationOutput<"consume_login_token">>;

  /** The key is shown only here. */
  createApiKey(input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; key: string }>;
  /** Newest first, revoked and expired keys included. */
  listApiKeys(input: OperationInput<"list_api_keys">): Promise<{ apiKeys: ApiKey[] }>;
  revokeApiKey(input: OperationInput<"revoke_api_key">): Promise<{ apiKey: ApiKey }>;
  /** unauthenticated if unknown/revoked/expired; forbidden if scope is missing. Records lastUsedAt. */
  authenticateApiKey(input: OperationInput<"authenticate_api_key">): Promise<{ user: User; apiKey: ApiKey }>;

  /** A new token for a user whose email is unverified: not_found / conflict (verified). */
  issueEmailVerification(input: OperationInput<"issue_email_verification">): Promise<EmailVerification>;
  /**
   * Once per token, however many consumers race: marks the email verified and
   * claims its pending access; unauthenticated if unknown, expired or used.
   */
  verifyEmail(input: OperationInput<"verify_email">): Promise<VerifyEmailResult>;
}
