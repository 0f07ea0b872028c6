// Type declarations for the Eventuall data layer shim (js-shim/eventuall.mjs).

/** A D1 database binding, or a D1 session from `env.DB.withSession(bookmark)`. */
export interface D1Like {
  prepare(query: string): { bind(...values: unknown[]): unknown };
  batch(statements: unknown[]): Promise<Array<{ results?: Record<string, unknown>[]; meta?: { changes?: number } }>>;
  getBookmark?(): string | null;
}

export interface EventuallBindings {
  webapp?: D1Like;
  workers?: D1Like;
  /** Accepted as an alias of webapp, so `createEventuall(env, ...)` works. */
  DB?: D1Like;
  /** Accepted as an alias of workers. */
  WORKERS_DB?: D1Like;
}

export type ErrorCode =
  | "invalid_input"
  | "not_found"
  | "conflict"
  | "forbidden"
  | "unauthenticated"
  | "db_error"
  | "internal"
  /** The database's d1_migrations differs from the migrations this build was made for: the message names the missing (database behind) or unknown (database ahead) ones. */
  | "schema_mismatch";

export class EventuallError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string);
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

import type { OperationInput, OperationName, OperationOutput } from "./types/contracts.mjs";
import type { IdentityOperations } from "./types/identity.d.mts";
import type { AccountsOperations } from "./types/accounts.d.mts";
import type { EventsOperations } from "./types/events.d.mts";
import type { RbacOperations } from "./types/rbac.d.mts";
import type { OrdersOperations } from "./types/orders.d.mts";
import type { RecordingOperations } from "./types/recording.d.mts";

/** Generated from the core's contracts: Operations, row types, PERMISSIONS, PLATFORM_ROLES. */
export * from "./types/contracts.mjs";
export type * from "./types/identity.d.mts";
export type * from "./types/accounts.d.mts";
export type * from "./types/events.d.mts";
export type * from "./types/rbac.d.mts";
export type * from "./types/orders.d.mts";
export type * from "./types/recording.d.mts";

/** Typed methods per area (one declaration file each, under types/). */
export interface Eventuall
  extends IdentityOperations,
    AccountsOperations,
    EventsOperations,
    RbacOperations,
    OrdersOperations,
    RecordingOperations {
  /** Any operation by its core name (e.g. "sign_up"), typed from its contract; throws EventuallError. */
  call<N extends OperationName>(operation: N, input?: OperationInput<N>): Promise<OperationOutput<N>>;
  /** Like call, but returns the outcome instead of throwing. */
  outcome<N extends OperationName>(operation: N, input?: OperationInput<N>): Promise<Outcome<OperationOutput<N>>>;
  /** Like call, but the value as the core's JSON text, never parsed (e.g. a Response body); throws EventuallError. */
  callText(operation: OperationName, input?: unknown): Promise<string>;
  /** Like outcome, but as the core's JSON text, never parsed: {"ok":true,"value":...} or {"error":{"code","message"},"ok":false}. */
  outcomeText(operation: OperationName, input?: unknown): Promise<string>;
  /** Bookmarks of D1 sessions, for the next request's withSession(). */
  bookmarks(): { webapp: string | null; workers: string | null };
}

/** One instantiated eventuall.wasm, shared by the requests of an isolate. */
export class EventuallInstance {
  constructor(module: WebAssembly.Module);
  readonly broken: EventuallError | null;
  operationNames(): string[];
  /** The largest JSON input, in UTF-8 bytes, the core accepts for `operation` (1 MiB; 2 MiB for append_logs and append_stage_events). */
  maxInputBytes(operation: string): number;
  inFlight(): number;
  memoryBytes(): number;
  /**
   * Test-only: deterministic seeds and clock for every later operation. Only
   * the test build (eventuall_testing.wasm) has the hook; the release module
   * refuses with a TypeError.
   */
  setDeterministicForTesting(seed: Uint8Array | string, startMs: number): void;
}

/** The method name of a core operation: sign_up -> signUp. */
export function methodName(operation: string): string;

/**
 * Which database each binding is, when one instance serves several of a kind
 * (a fleet's webapp databases, each Durable Object's storage): each name gets
 * its own schema guard. Default: `{ webapp: "webapp", workers: "workers" }`.
 */
export interface DatabaseNames {
  webapp?: string;
  workers?: string;
}

/**
 * Per request. `module` is the imported eventuall.wasm; its instance is cached
 * per isolate. Never cache the returned object across requests.
 */
export function createEventuall(
  bindings: EventuallBindings,
  options: ({ module: WebAssembly.Module } | { instance: EventuallInstance }) & { names?: DatabaseNames },
): Eventuall;

/** The package version (semver); the wasm is built from the same source. */
export const version: string;
/** The wasm this package was packed with. */
export const build: { readonly wasmBytes: number; readonly wasmSha256: string };
/**
 * The migrations (file names, in order) the wasm's schema needs on each database: every one
 * must be recorded in that database's d1_migrations before operations run.
 */
export const requiredMigrations: { readonly webapp: readonly string[]; readonly workers: readonly string[] };
