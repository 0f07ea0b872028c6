// Start recording: the cross-database workflow.
//
//   1. webapp batch (read only): the room belongs to the event, and the actor
//      holds recording.manage on it (event.view to even learn it exists).
//   2. workers batch (atomic): the session, its first stage events and a
//      workflow log line, every child insert guarded on the new session id;
//      then the session read back by (event, idempotency key): keys are
//      scoped to the event, so two tenants' keys never collide.
//
// Two round trips. No transaction spans the two databases, so the workflow is
// made safe by idempotency rather than by locks: step 1 writes nothing, and
// step 2 is all-or-nothing, so a failure at any step leaves no orphan and the
// caller simply retries with the same idempotencyKey. A retry whose first
// attempt did commit (the reply was lost) finds the session by its key and
// returns it with created: false; a key reused for a different recording is a
// conflict. The compensating action for a failure *after* this operation
// (e.g. the egress never starts) is transition_recording to "failed", which
// keeps the key spent so a late retry cannot start a second session.
#include "ops/input.h"
#include "ops/rbac/actor_facts.h"
#include "ops/rbac/permission_sql.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/sessions.h"
#include "ops/recording/stage_event_rows.h"
#include "schema/row_json.h"

namespace eventuall::ops {

namespace {

inline constexpr std::size_t kMaxInitialStageEvents = 500;

// The fields a retry must repeat exactly to be the same recording.
bool same_recording(const sql::Row& row, const std::string& event_id, const std::string& room_id,
                    const std::optional<std::string>& mux,
                    const std::optional<std::string>& egress) {
  return row.text("event_id") == event_id && row.text("room_id") == room_id &&
         row.get("mux_stream_id") == sql::Value(mux) &&
         row.get("livekit_egress_id") == sql::Value(egress);
}

}  // namespace

// What start_recording takes and answers (ops/contract.h).
const contract::Contract& start_recording_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("eventId", "events"), id("roomId", "rooms"), text("idempotencyKey"),
                text("muxStreamId").optional(), text("livekitEgressId").optional(),
                array(
                    "stageEvents",
                    of::object({text("participantId"),
                                one_of("kind", "stage_events.kind").defaults_to("enter"),
                                integer("offsetMs").optional(), integer("occurredAt").optional()}),
                    kMaxInitialStageEvents)
                    .optional()},
      .output = {row("session", "cloudcaster_sessions"), boolean("created"),
                 integer("stageEvents")},
      .summary = "Starts (idempotently) a recording of a room.",
  };
  return kContract;
}

OperationTask start_recording(Context& ctx, Json json) {
  auto args = contract::read(start_recording_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string event_id = args->text("eventId");
  const std::string room_id = args->text("roomId");
  const std::string key = args->text("idempotencyKey");
  const auto mux = args->optional_text("muxStreamId");
  const auto egress = args->optional_text("livekitEgressId");
  const auto stage_events = recording::read_stage_events(*args, "stageEvents");
  // The recording starts now: no first stage event may come before it.
  const std::int64_t now = ctx.now_seconds();
  if (const auto earliest = recording::earliest_occurrence(stage_events);
      earliest && *earliest < now) {
    co_return Error::invalid_input("stageEvents occurredAt " + std::to_string(*earliest) +
                                   " is before the recording starts at " + std::to_string(now));
  }

  const auto& sessions = recording::sessions_table();
  const std::string session_id = ctx.new_id();
  const schema::Guard created_now = recording::session_exists(session_id);
  std::vector<sql::Statement> statements;
  statements.push_back(schema::Insert(sessions)
                           .set("id", session_id)
                           .set("event_id", event_id)
                           .set("room_id", room_id)
                           .set("status", "pending")
                           .set("mux_stream_id", mux)
                           .set("livekit_egress_id", egress)
                           .set("started_by_user_id", actor)
                           .set("idempotency_key", key)
                           .set("recording_started_at", now)
                           .set("created_at", now)
                           .set("updated_at", now)
                           // The key's unique index turns a retry into a no-op.
                           .ignore_conflicts()
                           .returning_row()
                           .build());
  for (auto& s : recording::insert_stage_events(ctx, session_id, stage_events, created_now)) {
    statements.push_back(std::move(s));
  }
  Json context = {{"roomId", room_id}, {"stageEvents", stage_events.size()}};
  statements.push_back(schema::Insert(schema::workers_schema().table("cloudcaster_logs"))
                           .set("id", ctx.new_id())
                           .set("session_id", session_id)
                           .set("level", "info")
                           .set("layer", "workflow")
                           .set("message", "recording session started")
                           .set("context", dump_json(context))
                           .set("logged_at", now)
                           .set("created_at", now)
                           .only_if(created_now)
                           .build());
  statements.push_back({"SELECT " + schema::select_list(sessions) +
                            " FROM cloudcaster_sessions WHERE event_id = ? AND "
                            "idempotency_key = ?",
                        {event_id, key}});
  const std::size_t read_back = statements.size() - 1;

  // The workers batch is built (its ids drawn) before the first round trip, so
  // every id an operation takes is drawn in call order whatever the interleaving.
  auto facts = co_await ctx.run(
      sql::Database::kWebapp, rbac::actor_facts(actor, rbac::EventRef::value(event_id),
                                                rbac::permission::kRecordingManage, now, room_id));
  if (!facts.ok()) co_return facts.take_error();
  if (auto refusal = rbac::actor_refusal((*facts)[0], "event " + event_id,
                                         rbac::permission::kRecordingManage, room_id)) {
    co_return *refusal;
  }

  auto written = co_await ctx.run(sql::Database::kWorkers, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  const bool created = !(*written)[0].empty();
  const sql::ResultSet& existing = (*written)[read_back];
  if (existing.empty()) co_return Error::internal("session for idempotencyKey not read back");
  const sql::Row row(existing, 0);
  if (!created && !same_recording(row, event_id, room_id, mux, egress)) {
    co_return Error::conflict("idempotencyKey was already used for a different recording");
  }
  co_return Json{{"session", schema::row_json(sessions, row)},
                 {"created", created},
                 {"stageEvents", created ? stage_events.size() : std::size_t{0}}};
}

}  // namespace eventuall::ops
