#pragma once
// Recordings live in the workers database, which has no users: who may see or
// start one is decided in the webapp database first (a separate round trip,
// since no batch spans both). An event the actor cannot see, or a room that is
// not the event's, is not_found, so other tenants' ids never show.

#include <optional>
#include <string>

#include "common/status.h"
#include "sql/statement.h"

namespace eventuall::ops::recording {

// One row: sees (event.view on the event), may (`permission` on the event, or
// on the room when given), room_ok (no room given, or a room of the event).
sql::Statement access_facts(const std::string& actor, const std::string& event_id,
                            const std::optional<std::string>& room_id,
                            const std::string& permission, std::int64_t now);

// The refusal those facts imply, if any; `what` names the thing refused
// (e.g. "event X" or "recording Y") for the not_found message.
std::optional<Error> access_refusal(const sql::ResultSet& facts, const std::string& what,
                                    const std::optional<std::string>& room_id,
                                    const std::string& permission);

}  // namespace eventuall::ops::recording
