// The workers database: what a live event's recording produces. Event, room
// and user ids point into the webapp database, so they carry no foreign key.
#include "schema/schema.h"

namespace eventuall::schema {

namespace {

std::vector<Table> workers_tables() {
  std::vector<Table> t;

  t.emplace_back(
      "cloudcaster_sessions",
      std::vector<Column>{
          id_column(),
          text("event_id").required(),
          text("room_id").required(),
          text("status").required().defaults_to("'pending'").one_of(
              {"pending", "recording", "processing", "ready", "failed"}),
          text("mux_stream_id"),
          text("livekit_egress_id"),
          text("playback_url"),
          text("error_message"),
          text("started_by_user_id"),
          // Retries of the cross-database start workflow reuse this key.
          text("idempotency_key"),
          timestamp("recording_started_at"),
          timestamp("recording_ended_at"),
          // Guards status transitions: UPDATE ... WHERE version = ?.
          integer("version").required().defaults_to("0"),
          created_at(),
          updated_at(),
      },
      // A key is the caller's per event: another tenant's retry never finds it.
      std::vector<Index>{unique_index_where({"event_id", "idempotency_key"},
                                            "idempotency_key IS NOT NULL"),
                         index({"event_id", "room_id"}), index({"status"})},
      std::vector<std::string>{
          "recording_ended_at IS NULL OR recording_started_at IS NULL OR "
          "recording_ended_at >= recording_started_at"});

  t.emplace_back("cloudcaster_logs",
                 std::vector<Column>{
                     id_column(),
                     optional_foreign_id("session_id", "cloudcaster_sessions",
                                         OnDelete::kCascade),
                     text("level").required().one_of({"debug", "info", "warn", "error"}),
                     text("layer").required().one_of({"coordinator", "workflow", "service"}),
                     text("message").required(),
                     json_text("context").required().defaults_to("'{}'"),
                     timestamp("logged_at").required(),
                     created_at(),
                 },
                 std::vector<Index>{index({"session_id", "logged_at"}),
                                    index({"level", "logged_at"}), index({"logged_at"})});

  t.emplace_back("stage_events",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("session_id", "cloudcaster_sessions", OnDelete::kCascade),
                     text("participant_id").required(),
                     text("kind").required().one_of({"enter", "exit"}),
                     // Milliseconds since the recording started.
                     integer("offset_ms").required().checked("offset_ms >= 0"),
                     timestamp("occurred_at"),
                     created_at(),
                 },
                 std::vector<Index>{index({"session_id", "participant_id", "offset_ms"}),
                                    index({"session_id", "offset_ms"})});

  t.emplace_back("participant_clips",
                 std::vector<Column>{
                     id_column(),
                     foreign_id("session_id", "cloudcaster_sessions", OnDelete::kCascade),
                     text("participant_id").required(),
                     integer("start_offset_ms").required().checked("start_offset_ms >= 0"),
                     integer("end_offset_ms").required(),
                     created_at(),
                 },
                 std::vector<Index>{
                     unique_index({"session_id", "participant_id", "start_offset_ms"})},
                 std::vector<std::string>{"end_offset_ms >= start_offset_ms"});

  return t;
}

}  // namespace

const Schema& workers_schema() {
  static const Schema schema(sql::Database::kWorkers, workers_tables(), {});
  return schema;
}

}  // namespace eventuall::schema
