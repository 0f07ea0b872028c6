// Types of eventuall-data/service: EventuallService, the data layer as its own Worker over
// Workers RPC. A caller types its binding as `Service<EventuallService>` (workers-types) and
// imports only these types: no wasm in its bundle.
import { WorkerEntrypoint } from "cloudflare:workers";

import type { Eventuall, Outcome } from "./eventuall.d.mts";

/**
 * Who a call acts for, established by the caller's own backend (its session check, OAuth
 * callback or API key), never taken from what a public client sent.
 * - `{ userId }`: an authenticated user; operations run as that user (actorUserId) under the
 *   HTTP API's policy (self-service operations may name only them; administrative ones are
 *   forbidden).
 * - `{ admin: true }`: the calling backend itself; administrative operations, input as is.
 */
export type EventuallCaller = { readonly userId: string } | { readonly admin: true };

/** The bindings the service Worker needs (its wrangler config's d1_databases). */
export interface EventuallServiceEnv {
  DB: D1Database;
  WORKERS_DB: D1Database;
}

/** An operation's input without actorUserId: the caller argument supplies it. */
export type WithoutActor<I> = I extends unknown ? Omit<I, "actorUserId"> : never;

type OperationName = Exclude<keyof Eventuall, "call" | "outcome" | "bookmarks">;

/** One RPC method per operation: (caller, input) -> the operation's outcome. */
export type EventuallServiceMethods = {
  [K in OperationName]: Eventuall[K] extends (input: infer I) => Promise<infer R>
    ? (caller: EventuallCaller, input: WithoutActor<I>) => Promise<Outcome<R>>
    : never;
};

export interface EventuallService extends EventuallServiceMethods {}
export class EventuallService extends WorkerEntrypoint<EventuallServiceEnv> {
  /** Any operation by its core name (e.g. "create_event"). */
  run(caller: EventuallCaller, operation: string, input?: Record<string, unknown>): Promise<Outcome<unknown>>;
  /** The package version, the migrations the wasm needs and its operation names. */
  info(): Promise<{
    version: string;
    requiredMigrations: { webapp: string[]; workers: string[] };
    operations: string[];
  }>;
  fetch(): Promise<Response>;
}
export default EventuallService;
