// Routing the recording data of one live event to its own Durable Object (see
// js-shim/durable/recording_object.mjs): the object is named by the event id, so every
// Worker that knows the event reaches the same object, anywhere.
//
//   import { recordingOutcome } from "eventuall-data/durable/routing";
//   const out = await recordingOutcome(env.RECORDINGS, eventId, "append_logs", { sessionId, lines });
//   if (out.ok) out.value.appended; else out.error.code;
//
// Plain JS (no cloudflare:workers import): callers need not bundle the wasm.

/** The operations on the workers database (wasm/ops/recording/recording_operations.cpp). */
export const RECORDING_OPERATIONS = Object.freeze([
  "start_recording",
  "transition_recording",
  "get_recording",
  "list_recordings",
  "append_logs",
  "query_logs",
  "prune_logs",
  "append_stage_events",
  "generate_clips",
  "list_clips",
]);

/** The stub of the object that holds `eventId`'s recording data. */
export function recordingObjectFor(namespace, eventId) {
  if (!namespace || typeof namespace.idFromName !== "function") {
    throw new TypeError("recordingObjectFor: pass the Durable Object namespace binding (env.RECORDINGS)");
  }
  if (typeof eventId !== "string" || eventId === "") throw new TypeError("recordingObjectFor: eventId must be a non-empty string");
  return namespace.get(namespace.idFromName(eventId));
}

/** One operation on `eventId`'s object: {ok: true, value} | {ok: false, error: {code, message}}. */
export function recordingOutcome(namespace, eventId, operation, input) {
  return recordingObjectFor(namespace, eventId).outcome(eventId, operation, input);
}
