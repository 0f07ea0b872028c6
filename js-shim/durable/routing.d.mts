// Types of eventuall-data/durable/routing: reaching the object of one event.
import type { ErrorCode } from "../eventuall.d.mts";

export type RecordingOperation =
  | "start_recording"
  | "transition_recording"
  | "get_recording"
  | "list_recordings"
  | "append_logs"
  | "query_logs"
  | "prune_logs"
  | "append_stage_events"
  | "generate_clips"
  | "list_clips";

export declare const RECORDING_OPERATIONS: readonly RecordingOperation[];

/** As the core's outcomes (schema_mismatch included: an object migrated by a newer release). */
export type RecordingOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: ErrorCode; message: string } };

interface RecordingStub {
  outcome<T = unknown>(eventId: string, operation: RecordingOperation, input?: object): Promise<RecordingOutcome<T>>;
}

// Any namespace: a Worker types its binding as DurableObjectNamespace<RecordingObject> (eventuall-data/durable).
export function recordingObjectFor(namespace: DurableObjectNamespace<any>, eventId: string): RecordingStub;
export function recordingOutcome<T = unknown>(
  namespace: DurableObjectNamespace<any>,
  eventId: string,
  operation: RecordingOperation,
  input?: object,
): Promise<RecordingOutcome<T>>;
