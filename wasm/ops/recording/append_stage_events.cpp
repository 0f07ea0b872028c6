// Append stage events: participants entering or leaving the live stage, with
// their offset from the recording's start, in bulk (one atomic batch of
// inserts chunked to D1's parameter limit). Every chunk is guarded on the
// session existing and, when occurredAt times are given, on none of them
// preceding the recording's start; a last read says which guard refused, so
// an unknown session (not_found) or an event before the start (invalid_input)
// writes nothing. One round trip. Called by the coordinator: no actor.
#include "ops/input.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/sessions.h"
#include "ops/recording/stage_event_rows.h"

namespace eventuall::ops {

namespace {

inline constexpr std::size_t kMaxStageEventsPerCall = 10'000;

}  // namespace

// What append_stage_events takes and answers (ops/contract.h).
const contract::Contract& append_stage_events_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("sessionId", "cloudcaster_sessions"),
                array("events",
                      of::object({text("participantId"), one_of("kind", "stage_events.kind"),
                                  integer("offsetMs"), integer("occurredAt").optional()}),
                      kMaxStageEventsPerCall)
                    .non_empty()},
      .output = {integer("appended"), integer("statements")},
      .summary = "Appends stage enter/exit events in bulk.",
  };
  return kContract;
}

OperationTask append_stage_events(Context& ctx, Json json) {
  auto args = contract::read(append_stage_events_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string session_id = args->text("sessionId");
  const auto events = recording::read_stage_events(*args, "events");

  const auto earliest = recording::earliest_occurrence(events);
  schema::Guard guard{
      "EXISTS (SELECT 1 FROM cloudcaster_sessions WHERE id = ? AND (? IS NULL OR "
      "recording_started_at IS NULL OR recording_started_at <= ?))",
      {session_id, earliest, earliest}};
  std::vector<sql::Statement> statements =
      recording::insert_stage_events(ctx, session_id, events, guard);
  statements.push_back(recording::select_session(session_id));
  auto written = co_await ctx.run(sql::Database::kWorkers, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  const sql::ResultSet& session = written->back();
  if (session.empty()) co_return Error::not_found("recording " + session_id + " not found");
  const std::int64_t started_at = sql::Row(session, 0).integer("recording_started_at");
  if (earliest && !sql::Row(session, 0).is_null("recording_started_at") && *earliest < started_at) {
    co_return Error::invalid_input("events: occurredAt " + std::to_string(*earliest) +
                                   " is before the recording started at " +
                                   std::to_string(started_at));
  }
  co_return Json{{"appended", events.size()}, {"statements", written->size() - 1}};
}

}  // namespace eventuall::ops
