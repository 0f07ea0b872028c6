// Identity: users, sign-up and provider sign-in, email verification, login
// sessions, MCP one-time login tokens and MCP API keys. Pending invitations,
// orders and room access issued to an email are claimed only once the email is
// verified (verifyEmail, or a provider sign-in with emailVerified: true). Secrets (session tokens, login tokens, API
// keys) are returned once, by the call that creates them; only their SHA-256
// is stored, and no result ever carries a hash.

import type { SessionsRow, UserProvidersRow, UsersRow } from "./contracts.d.mts";
import type { Account } from "./accounts.d.mts";

export type User = UsersRow;

export interface ProfileInput {
  pronouns?: string;
  location?: string;
  /** ISO calendar date YYYY-MM-DD. */
  birthdate?: string;
  image?: string;
}

export interface SignUpInput extends ProfileInput {
  email: string;
  name: string;
  /** Lifetime of the verification token: 1 .. 7 days in seconds; default 1 day. */
  ttlSeconds?: number;
}

/** A one-time email verification token: mail it; shown only here. */
export interface EmailVerification {
  token: string;
  expiresAt: number;
}

/**
 * For the trusted caller only: a public route must answer the same for a new,
 * an unverified and a verified email (the example Worker answers
 * {status: "verification_sent"}). Claims nothing; conflict if the email is
 * verified already.
 */
export interface SignUpResult {
  /** The new user, or (created: false) the unverified user that holds the email. */
  user: User;
  /** The new personal account, present only when created is true. */
  account?: Account;
  /** false: an unverified user held the email; whoever verifies takes it over with this profile. */
  created: boolean;
  verification: EmailVerification;
}

export interface VerifyEmailResult {
  user: User;
  /** Pending invitations of the email turned into access grants in the same batch. */
  claimedGrants: number;
}

// --- provider identities -------------------------------------------------------

export type Provider = UserProvidersRow["provider"];

export type UserProvider = UserProvidersRow;

export interface SignInWithProviderInput extends ProfileInput {
  provider: Provider;
  providerAccountId: string;
  /** The email the provider reports. */
  email: string;
  /**
   * The provider asserts it verified `email`. Only then is an existing user
   * with that email linked (else conflict), the email marked verified and
   * the email's pending access claimed.
   */
  emailVerified?: boolean;
  /** Used only when a user is created; default: the email's local part. */
  name?: string;
}

export interface SignInWithProviderResult {
  user: User;
  /** The new personal account, present only when created is true. */
  account?: Account;
  /** A new user was created by this call. */
  created: boolean;
  /** A new link (provider, providerAccountId) -> user was written by this call. */
  linked: boolean;
  claimedGrants: number;
}

export interface LinkProviderInput {
  userId: string;
  provider: Provider;
  providerAccountId: string;
  /** The email the provider verified; required with emailVerified. */
  email?: string;
  /** If `email` is the user's, it becomes verified and its pending access is claimed. */
  emailVerified?: boolean;
}

export interface UnlinkProviderInput {
  userId: string;
  provider: Provider;
  /** Only this account of the provider; default: every link of the provider. */
  providerAccountId?: string;
}

// --- login sessions ---------------------------------------------------------------

export type Session = SessionsRow;

export interface CreateSessionInput {
  userId: string;
  /** 1 .. 365 days in seconds; default 30 days. */
  ttlSeconds?: number;
  userAgent?: string;
  ipAddress?: string;
}

/** Revoke by the session's token, or by its id together with its user's id. */
export type RevokeSessionInput = { token: string } | { sessionId: string; userId: string };

// --- MCP login tokens and API keys ----------------------------------------------------

/** "<resource>:<action>", lowercase, e.g. "events:read". */
export type Scope = string;

export interface ApiKey {
  id: string;
  userId: string;
  name: string;
  /** The key's first 12 characters ("evk_" + 8), for display. */
  keyPrefix: string;
  scopes: Scope[];
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

export interface CreateApiKeyInput {
  userId: string;
  name: string;
  scopes: Scope[];
  /** Up to 5 years; default: never expires. */
  ttlSeconds?: number;
}

export interface IdentityOperations {
  /** An unverified user and a verification token to mail (see SignUpResult). */
  signUp(input: SignUpInput): Promise<SignUpResult>;
  getUser(input: { id: string }): Promise<{ user: User }>;
  /** Find-or-create by provider identity, then by email; one atomic batch, race-safe. */
  signInWithProvider(input: SignInWithProviderInput): Promise<SignInWithProviderResult>;
  /** conflict if the provider account is linked already (to anyone). */
  linkProvider(input: LinkProviderInput): Promise<{ provider: UserProvider; claimedGrants: number }>;
  /** Removing a user's last link is allowed. */
  unlinkProvider(input: UnlinkProviderInput): Promise<{ unlinked: UserProvider[] }>;

  /** The token is shown only here. */
  createSession(input: CreateSessionInput): Promise<{ session: Session; token: string }>;
  /** unauthenticated if unknown, expired, revoked or malformed; records lastSeenAt. */
  validateSession(input: { token: string }): Promise<{ user: User; session: Session }>;
  /** Sets expiry to at least now + ttlSeconds (never shortens). */
  extendSession(input: { token: string; ttlSeconds: number }): Promise<{ session: Session }>;
  revokeSession(input: RevokeSessionInput): Promise<{ session: Session }>;
  /** Revokes every live session of the user; how many there were. */
  revokeUserSessions(input: { userId: string }): Promise<{ revoked: number }>;

  /** ttlSeconds 1 .. 86400, default 600. The token is shown only here. */
  issueLoginToken(input: { userId: string; ttlSeconds?: number }): Promise<{ token: string; expiresAt: number }>;
  /** Succeeds once per token, however many consumers race. */
  consumeLoginToken(input: { token: string }): Promise<{ user: User }>;

  /** The key is shown only here. */
  createApiKey(input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; key: string }>;
  /** Newest first, revoked and expired keys included. */
  listApiKeys(input: { userId: string }): Promise<{ apiKeys: ApiKey[] }>;
  revokeApiKey(input: { userId: string; keyId: string }): Promise<{ apiKey: ApiKey }>;
  /** unauthenticated if unknown/revoked/expired; forbidden if scope is missing. Records lastUsedAt. */
  authenticateApiKey(input: { key: string; scope?: Scope }): Promise<{ user: User; apiKey: ApiKey }>;

  /** A new token for a user whose email is unverified: not_found / conflict (verified). */
  issueEmailVerification(input: { userId: string; ttlSeconds?: number }): Promise<EmailVerification>;
  /**
   * Once per token, however many consumers race: marks the email verified and
   * claims its pending access; unauthenticated if unknown, expired or used.
   */
  verifyEmail(input: { token: string }): Promise<VerifyEmailResult>;
}
