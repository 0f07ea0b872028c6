// Recording sessions on the workers database: sessions and their lifecycle,
// structured logs, stage events and the participant clips paired from them.
// Round trips per call: start_recording, get_recording, list_recordings,
// list_clips and generate_clips 2; every other one 1.

import type { CloudcasterLogsRow, CloudcasterSessionsRow, ParticipantClipsRow, StageEventsRow } from "./contracts.d.mts";

export type RecordingStatus = CloudcasterSessionsRow["status"];
export type StageEventKind = StageEventsRow["kind"];
export type LogLevel = CloudcasterLogsRow["level"];
export type LogLayer = CloudcasterLogsRow["layer"];

export type RecordingSession = CloudcasterSessionsRow;

export interface StageEventInput {
  /** The LiveKit participant identity. */
  participantId: string;
  kind: StageEventKind;
  /** Milliseconds since the recording started; never negative. */
  offsetMs: number;
  /** Unix seconds; must not precede the recording's start. */
  occurredAt?: number;
}

export interface StartRecordingInput {
  /** Needs recording.manage on the event (or the room). */
  actorUserId: string;
  eventId: string;
  roomId: string;
  /** A retry with the same key returns the same session (created: false);
   * the key reused for a different recording is a conflict. */
  idempotencyKey: string;
  muxStreamId?: string;
  livekitEgressId?: string;
  /** Up to 500 first stage events; kind defaults to "enter", offsetMs to 0. */
  stageEvents?: Array<{ participantId: string; kind?: StageEventKind; offsetMs?: number; occurredAt?: number }>;
}

export type TransitionRecordingInput = {
  sessionId: string;
  /**
   * Moves only from this version (else conflict). Of racing transitions passing
   * one expectedVersion exactly one wins; without it, racers with different
   * targets can each win in turn along legal edges (pending → recording → failed).
   */
  expectedVersion?: number;
} & (
  | { to: "recording" | "processing" }
  | { to: "ready"; playbackUrl: string }
  | { to: "failed"; errorMessage: string }
);

export interface ListRecordingsInput {
  /** Needs event.view. */
  actorUserId: string;
  eventId: string;
  roomId?: string;
  status?: RecordingStatus;
  /** 1..100, default 50. */
  limit?: number;
  cursor?: string;
}

export interface LogLine {
  id: string;
  sessionId: string | null;
  level: LogLevel;
  layer: LogLayer;
  message: string;
  context: Record<string, unknown>;
  /** Unix seconds. */
  loggedAt: number;
  createdAt: number;
}

export interface AppendLogsInput {
  sessionId?: string;
  /**
   * 1..10,000 lines, and at most 2 MiB (2,097,152 bytes) for the whole input as
   * UTF-8 JSON, whichever is reached first (a message is at most 4,000
   * characters, a context at most 8,192 bytes of JSON); level defaults to info,
   * loggedAt to now. Past either cap: invalid_input, nothing written.
   */
  lines: Array<{ level?: LogLevel; layer: LogLayer; message: string; context?: Record<string, unknown>; loggedAt?: number }>;
}

export interface QueryLogsInput {
  sessionId?: string;
  level?: LogLevel;
  layer?: LogLayer;
  /** Unix seconds, inclusive. */
  since?: number;
  /** Unix seconds, exclusive. */
  until?: number;
  /** 1..1000, default 100. */
  limit?: number;
  cursor?: string;
}

export type ParticipantClip = ParticipantClipsRow;

/** What the pairing rules ignored or changed. */
export interface PairingReport {
  repeatedEnters: number;
  unmatchedExits: number;
  closedAtEnd: number;
  zeroLengthDropped: number;
  merged: number;
  /** Spans that ran past the recording's end, cut there (only once it has ended). */
  cutAtEnd: number;
  /** Spans that started at or after the recording's end: no footage, dropped. */
  pastEndDropped: number;
}

export interface RecordingOperations {
  startRecording(input: StartRecordingInput): Promise<{ session: RecordingSession; created: boolean; stageEvents: number }>;
  /** pending → recording → processing → ready, and failed from any of the first three; others are conflicts. */
  transitionRecording(input: TransitionRecordingInput): Promise<{ session: RecordingSession }>;
  getRecording(input: { actorUserId: string; sessionId: string }): Promise<{ session: RecordingSession; stageEvents: number; clips: number }>;
  listRecordings(input: ListRecordingsInput): Promise<{ sessions: RecordingSession[]; nextCursor: string | null }>;
  appendLogs(input: AppendLogsInput): Promise<{ appended: number; statements: number }>;
  queryLogs(input: QueryLogsInput): Promise<{ logs: LogLine[]; nextCursor: string | null }>;
  /** Deletes at most maxRows (default 10,000) lines logged before now - retentionSeconds; call again while more. */
  pruneLogs(input: { retentionSeconds: number; maxRows?: number }): Promise<{ deleted: number; cutoff: number; more: boolean }>;
  /** 1..10,000 events per call and at most 2 MiB of input JSON, all or none. */
  appendStageEvents(input: { sessionId: string; events: StageEventInput[] }): Promise<{ appended: number; statements: number }>;
  /** Replaces the session's clips; running it twice gives the same clips. */
  generateClips(input: { sessionId: string; mergeGapMs?: number }): Promise<{
    clips: number;
    stageEvents: number;
    closeAtMs: number;
    report: PairingReport;
    statements: number;
  }>;
  listClips(input: {
    actorUserId: string;
    sessionId: string;
    participantId?: string;
    /** 1..1000, default 200. */
    limit?: number;
    cursor?: string;
  }): Promise<{ clips: ParticipantClip[]; nextCursor: string | null }>;
}
