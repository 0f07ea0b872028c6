// Recording sessions on the workers database: sessions and their lifecycle,
// structured logs, stage events and the participant clips paired from them.
// Round trips per call: start_recording, get_recording, list_recordings,
// list_clips and generate_clips 2; every other one 1.

import type {
  CloudcasterLogsRow,
  CloudcasterSessionsRow,
  OperationInput,
  OperationOutput,
  ParticipantClipsRow,
  StageEventsRow,
} from "./contracts.d.mts";

export type RecordingStatus = CloudcasterSessionsRow["status"];
export type StageEventKind = StageEventsRow["kind"];
export type LogLevel = CloudcasterLogsRow["level"];
export type LogLayer = CloudcasterLogsRow["layer"];

export type RecordingSession = CloudcasterSessionsRow;

/**
 * participantId: the LiveKit participant identity; offsetMs: milliseconds
 * since the recording started, never negative; occurredAt: Unix seconds, must
 * not precede the recording's start.
 */
export type StageEventInput = OperationInput<"append_stage_events">["events"][number];

/**
 * Needs recording.manage on the event (or the room). A retry with the same
 * idempotencyKey returns the same session (created: false); the key reused for
 * a different recording is a conflict. Up to 500 first stageEvents; kind
 * defaults to "enter", offsetMs to 0.
 */
export type StartRecordingInput = OperationInput<"start_recording">;

/**
 * The contract's fields, with the rule it cannot say: playbackUrl exactly
 * when to is ready, errorMessage exactly when to is failed (pending is never a
 * target). expectedVersion: moves only from this version (else conflict). Of
 * racing transitions passing one expectedVersion exactly one wins; without
 * it, racers with different targets can each win in turn along legal edges
 * (pending → recording → failed).
 */
export type TransitionRecordingInput = Omit<OperationInput<"transition_recording">, "to" | "playbackUrl" | "errorMessage"> &
  (
    | { to: "recording" | "processing" }
    | { to: "ready"; playbackUrl: string }
    | { to: "failed"; errorMessage: string }
  );

/** Needs event.view; limit 1..100, default 50. */
export type ListRecordingsInput = OperationInput<"list_recordings">;

/** A log line; context is always a JSON object. */
export type LogLine = Omit<CloudcasterLogsRow, "context"> & { context: Record<string, unknown> };

/**
 * 1..10,000 lines, and at most 2 MiB (2,097,152 bytes) for the whole input as
 * UTF-8 JSON, whichever is reached first (a message is at most 4,000
 * characters, a context a JSON object of at most 8,192 bytes); level defaults
 * to info, loggedAt to now. Past either cap: invalid_input, nothing written.
 */
export type AppendLogsInput = OperationInput<"append_logs">;

/** since: Unix seconds, inclusive; until: exclusive; limit 1..1000, default 100. */
export type QueryLogsInput = OperationInput<"query_logs">;

export type ParticipantClip = ParticipantClipsRow;

/**
 * What the pairing rules ignored or changed. cutAtEnd: spans that ran past the
 * recording's end, cut there (only once it has ended); pastEndDropped: spans
 * that started at or after the recording's end, no footage, dropped.
 */
export type PairingReport = OperationOutput<"generate_clips">["report"];

export interface RecordingOperations {
  startRecording(input: StartRecordingInput): Promise<OperationOutput<"start_recording">>;
  /** pending → recording → processing → ready, and failed from any of the first three; others are conflicts. */
  transitionRecording(input: TransitionRecordingInput): Promise<OperationOutput<"transition_recording">>;
  getRecording(input: OperationInput<"get_recording">): Promise<OperationOutput<"get_recording">>;
  listRecordings(input: ListRecordingsInput): Promise<OperationOutput<"list_recordings">>;
  appendLogs(input: AppendLogsInput): Promise<OperationOutput<"append_logs">>;
  queryLogs(input: QueryLogsInput): Promise<{ logs: LogLine[]; nextCursor: string | null }>;
  /** Deletes at most maxRows (default 10,000) lines logged before now - retentionSeconds; call again while more. */
  pruneLogs(input: OperationInput<"prune_logs">): Promise<OperationOutput<"prune_logs">>;
  /** 1..10,000 events per call and at most 2 MiB of input JSON, all or none. */
  appendStageEvents(input: OperationInput<"append_stage_events">): Promise<OperationOutput<"append_stage_events">>;
  /** Replaces the session's clips; running it twice gives the same clips. */
  generateClips(input: OperationInput<"generate_clips">): Promise<OperationOutput<"generate_clips">>;
  /** limit 1..1000, default 200. */
  listClips(input: OperationInput<"list_clips">): Promise<OperationOutput<"list_clips">>;
}
