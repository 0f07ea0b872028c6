#include "ops/recording/stage_event_rows.h"

#include <algorithm>

namespace eventuall::ops::recording {

namespace {

const schema::Table& stage_events_table() {
  return schema::workers_schema().table("stage_events");
}

}  // namespace

std::vector<StageEventInput> read_stage_events(Input& in, std::string_view field,
                                               std::size_t max_items,
                                               std::string_view default_kind) {
  const auto& kinds = stage_events_table().allowed_values("kind");
  std::vector<StageEventInput> events;
  const auto items = in.array(field, max_items);
  events.reserve(items.size());
  for (std::size_t i = 0; i < items.size() && in.ok(); ++i) {
    Input item(items[i], std::string(field) + "[" + std::to_string(i) + "]");
    StageEventInput e;
    e.participant_id = item.text("participantId");
    auto kind = item.optional_one_of("kind", kinds);
    if (!kind && default_kind.empty()) item.reject("kind", "is required");
    e.kind = kind.value_or(std::string(default_kind));
    // Offsets count from the recording's start: never negative.
    e.offset_ms = default_kind.empty() ? item.integer("offsetMs")
                                       : item.optional_integer("offsetMs").value_or(0);
    e.occurred_at = item.optional_integer("occurredAt");
    in.absorb(item);
    events.push_back(std::move(e));
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
