#include "ops/recording/stage_event_rows.h"

#include <algorithm>

namespace eventuall::ops::recording {

namespace {

const schema::Table& stage_events_table() {
  return schema::workers_schema().table("stage_events");
}

}  // namespace

std::vector<StageEventInput> read_stage_events(const contract::Args& args, std::string_view field) {
  std::vector<StageEventInput> events;
  for (const auto& item : args.objects(field)) {
    events.push_back({item.text("participantId"), item.text("kind"),
                      item.optional_integer("offsetMs").value_or(0),
                      item.optional_integer("occurredAt")});
  }
  return events;
}

std::optional<std::int64_t> earliest_occurrence(const std::vector<StageEventInput>& events) {
  std::optional<std::int64_t> earliest;
  for (const auto& e : events) {
    if (e.occurred_at && (!earliest || *e.occurred_at < *earliest)) earliest = e.occurred_at;
  }
  return earliest;
}

std::vector<sql::Statement> insert_stage_events(runtime::Context& ctx,
                                                const std::string& session_id,
                                                const std::vector<StageEventInput>& events,
                                                const schema::Guard& guard) {
  const std::int64_t now = ctx.now_seconds();
  std::vector<std::vector<sql::Value>> rows;
  rows.reserve(events.size());
  for (const auto& e : events) {
    rows.push_back(
        {ctx.new_id(), session_id, e.participant_id, e.kind, e.offset_ms, e.occurred_at, now});
  }
  return schema::insert_rows(
      stage_events_table(),
      {"id", "session_id", "participant_id", "kind", "offset_ms", "occurred_at", "created_at"},
      std::move(rows), guard, /*returning=*/false);
}

}  // namespace eventuall::ops::recording
