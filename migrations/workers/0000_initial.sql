-- Initial workers schema. Generated from the C++ schema (wasm/schema/workers_schema.cpp)
-- by `eventuall ddl workers`; tests/native/schema_test.cpp keeps the two equal.

CREATE TABLE cloudcaster_sessions (
  id TEXT PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL,
  room_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'recording', 'processing', 'ready', 'failed')),
  mux_stream_id TEXT,
  livekit_egress_id TEXT,
  playback_url TEXT,
  error_message TEXT,
  started_by_user_id TEXT,
  idempotency_key TEXT,
  recording_started_at INTEGER,
  recording_ended_at INTEGER,
  version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
  CHECK (recording_ended_at IS NULL OR recording_started_at IS NULL OR recording_ended_at >= recording_started_at)
) STRICT;

CREATE TABLE cloudcaster_logs (
  id TEXT PRIMARY KEY NOT NULL,
  session_id TEXT REFERENCES cloudcaster_sessions (id) ON DELETE CASCADE,
  level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  layer TEXT NOT NULL CHECK (layer IN ('coordinator', 'workflow', 'service')),
  message TEXT NOT NULL,
  context TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(context)),
  logged_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE stage_events (
  id TEXT PRIMARY KEY NOT NULL,
  session_id TEXT NOT NULL REFERENCES cloudcaster_sessions (id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('enter', 'exit')),
  offset_ms INTEGER NOT NULL CHECK (offset_ms >= 0),
  occurred_at INTEGER,
  created_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT;

CREATE TABLE participant_clips (
  id TEXT PRIMARY KEY NOT NULL,
  session_id TEXT NOT NULL REFERENCES cloudcaster_sessions (id) ON DELETE CASCADE,
  participant_id TEXT NOT NULL,
  start_offset_ms INTEGER NOT NULL CHECK (start_offset_ms >= 0),
  end_offset_ms INTEGER NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (unixepoch()),
  CHECK (end_offset_ms >= start_offset_ms)
) STRICT;

CREATE UNIQUE INDEX cloudcaster_sessions_idempotency_key_idx ON cloudcaster_sessions (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX cloudcaster_sessions_event_id_room_id_idx ON cloudcaster_sessions (event_id, room_id);
CREATE INDEX cloudcaster_sessions_status_idx ON cloudcaster_sessions (status);
CREATE INDEX cloudcaster_logs_session_id_logged_at_idx ON cloudcaster_logs (session_id, logged_at);
CREATE INDEX cloudcaster_logs_level_logged_at_idx ON cloudcaster_logs (level, logged_at);
CREATE INDEX cloudcaster_logs_logged_at_idx ON cloudcaster_logs (logged_at);
CREATE INDEX stage_events_session_id_participant_id_offset_ms_idx ON stage_events (session_id, participant_id, offset_ms);
CREATE INDEX stage_events_session_id_offset_ms_idx ON stage_events (session_id, offset_ms);
CREATE UNIQUE INDEX participant_clips_session_id_participant_id_start_offset_ms_idx ON participant_clips (session_id, participant_id, start_offset_ms);
