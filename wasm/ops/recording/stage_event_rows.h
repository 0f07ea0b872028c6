#pragma once
// Stage events as operations take them ({participantId, kind, offsetMs,
// occurredAt?}) and as the chunked, guarded inserts that store them; shared by
// start_recording (the first enters) and append_stage_events.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ops/contract.h"
#include "runtime/context.h"
#include "schema/queries.h"

namespace eventuall::ops::recording {

struct StageEventInput {
  std::string participant_id;
  std::string kind;
  std::int64_t offset_ms = 0;
  std::optional<std::int64_t> occurred_at;
};

// The stage events of the array `field` of a validated input, as its
// contract declares them (kind required or defaulted; offsetMs absent: 0).
std::vector<StageEventInput> read_stage_events(const contract::Args& args, std::string_view field);

// The earliest occurredAt given, if any.
std::optional<std::int64_t> earliest_occurrence(const std::vector<StageEventInput>& events);

// Inserts chunked to D1's parameter limit, each carrying `guard`.
std::vector<sql::Statement> insert_stage_events(runtime::Context& ctx,
                                                const std::string& session_id,
                                                const std::vector<StageEventInput>& events,
                                                const schema::Guard& guard);

}  // namespace eventuall::ops::recording
