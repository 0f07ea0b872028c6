#pragma once
// Why a guarded write did nothing: one row saying whether the actor sees the
// event (event.view, through a grant event-wide or on any of its rooms) and may do the action, read in the same batch as the
// write, so a refusal is told apart from an unknown event without a second
// round trip. An event the actor cannot see is not_found (nothing leaks about
// other tenants); one they see but may not act on is forbidden.
//
// No actor means a trusted caller (the Worker's admin and signed webhook
// routes): it sees and may act on every event that exists.
//
// With a room, the action is asked of the room (a room grant counts) and the
// row also says whether the room is the event's (not_found otherwise).

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "ops/rbac/permission_sql.h"

namespace eventuall::ops::rbac {

// holds_permission for an actor; for a trusted caller, "the event exists".
Condition may_act(const std::optional<std::string>& actor, const std::string& permission,
                  const EventRef& event, std::int64_t now,
                  const std::optional<std::string>& room_id = std::nullopt);

Condition may_act(const std::optional<std::string>& actor, const std::string& permission,
                  const EventRef& event, std::int64_t now, const RoomScope& scope);

// Whether the actor sees the event: event.view through a grant event-wide or
// on any of its rooms (or owning its account). Every read that hides an event
// the actor cannot see uses this, so "missing" and "not yours" answer alike.
Condition sees_event(const std::optional<std::string>& actor, const EventRef& event,
                     std::int64_t now);

// SELECT <sees> AS sees, <may> AS may [, <room of the event> AS room_ok].
sql::Statement actor_facts(const std::optional<std::string>& actor, const EventRef& event,
                           const std::string& action, std::int64_t now,
                           const std::optional<std::string>& room_id = std::nullopt);

// The same for a scope given in SQL (e.g. the room of a grant), without room_ok.
sql::Statement actor_facts(const std::optional<std::string>& actor, const EventRef& event,
                           const std::string& action, std::int64_t now, const RoomScope& scope);

// not_found / forbidden from an actor_facts row, or nullopt when all hold.
std::optional<Error> actor_refusal(const sql::ResultSet& facts, const std::string& what,
                                   const std::string& action,
                                   const std::optional<std::string>& room_id = std::nullopt);

}  // namespace eventuall::ops::rbac
