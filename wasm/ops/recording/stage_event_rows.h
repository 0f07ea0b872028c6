#pragma once
// Stage events as operations take them ({participantId, kind, offsetMs,
// occurredAt?}) and as the chunked, guarded inserts that store them; shared by
// start_recording (the first enters) and append_stage_events.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/input.h"
#include "runtime/context.h"
#include "schema/queries.h"

namespace eventuall::ops::recording {

struct StageEventInput {
  std::string participant_id;
  std::string kind;
  std::int64_t offset_ms = 0;
  std::optional<std::int64_t> occurred_at;
};

// Reads the array `field` (at most max_items). default_kind fills an absent
// kind; empty means kind is required. Problems go to `in`.
std::vector<StageEventInput> read_stage_events(Input& in, std::string_view field,
                                               std::size_t max_items,
                                               std::string_view default_kind);

// The earliest occurredAt given, if any.
std::optional<std::int64_t> earliest_occurrence(const std::vector<StageEventInput>& events);

// Inserts chunked to D1's parameter limit, each carrying `guard`.
std::vector<sql::Statement> insert_stage_events(runtime::Context& ctx,
                                                const std::string& session_id,
                                                const std::vector<StageEventInput>& events,
                                                const schema::Guard& guard);

}  // namespace eventuall::ops::recording
