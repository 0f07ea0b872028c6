// Types of eventuall-data/durable: the recording data of one live event in its own
// SQLite-backed Durable Object (see define.mjs).
import { DurableObject } from "cloudflare:workers";

import type { EventuallInstance } from "../eventuall.d.mts";
import type { RecordingOutcome, RecordingOperation } from "./routing.d.mts";

export { RECORDING_OPERATIONS, recordingObjectFor, recordingOutcome } from "./routing.mjs";
export type { RecordingOperation, RecordingOutcome } from "./routing.mjs";
export { storageD1 } from "./storage_d1.mjs";

/** The env of the Worker that defines the object: the webapp D1, for permission checks. */
export interface RecordingObjectEnv {
  DB: D1Database;
}

/** Bundled workers migrations: each file's statements as wrangler splits them. */
export interface BundledMigration {
  readonly name: string;
  readonly sha256: string;
  readonly statements: readonly string[];
}

export interface SchemaState {
  /** The event this object holds (null before its first call). */
  event: string | null;
  applied?: string[];
  known?: string[];
  /** Names in d1_migrations this build does not have: the object answers schema_mismatch. */
  unknown?: string[];
  failed?: string;
}

export declare class RecordingObject extends DurableObject<RecordingObjectEnv> {
  /** One recording operation of `eventId` (the object's event). */
  outcome<T = unknown>(eventId: string, operation: RecordingOperation, input?: object): Promise<RecordingOutcome<T>>;
  schema(): Promise<SchemaState>;
}

export function defineRecordingObject(options: {
  module?: WebAssembly.Module;
  instance?: () => EventuallInstance;
  /** The webapp D1 binding's name in env (default "DB"). */
  webapp?: string;
  migrations?: readonly BundledMigration[];
}): typeof RecordingObject;

export function migrateStorage(
  storage: DurableObjectStorage,
  migrations?: readonly BundledMigration[],
): { applied: string[]; known: string[]; unknown: string[] };
