#include "ops/rbac/actor_facts.h"

#include "common/encoding.h"
#include "common/for_size.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops::rbac {

Condition may_act(const std::optional<std::string>& actor, const std::string& permission,
                  const EventRef& event, std::int64_t now,
                  const std::optional<std::string>& room_id) {
  return may_act(actor, permission, event, now, RoomScope::of(room_id));
}

Condition may_act(const std::optional<std::string>& actor, const std::string& permission,
                  const EventRef& event, std::int64_t now, const RoomScope& scope) {
  if (actor) return holds_permission(*actor, permission, event, scope, now);
  return {"EXISTS (SELECT 1 FROM events WHERE id = " + event.sql + ")", event.params};
}

Condition sees_event(const std::optional<std::string>& actor, const EventRef& event,
                     std::int64_t now) {
  return may_act(actor, permission::kEventView, event, now, RoomScope::any());
}

sql::Statement actor_facts(const std::optional<std::string>& actor, const EventRef& event,
                           const std::string& action, std::int64_t now, const RoomScope& scope) {
  // Seeing the event counts a grant on any of its rooms: a user whose only
  // grant is on one room sees the event that room belongs to.
  Condition sees = sees_event(actor, event, now);
  // Asking only to see the event is asking what `sees` answers.
  const bool only_sees = action == permission::kEventView;
  const Condition may = only_sees ? Condition{} : may_act(actor, action, event, now, scope);
  const Condition& asked = only_sees ? sees : may;
  sql::Statement s{{}, sees.params};
  append_all(s.sql, {"SELECT ", sees.sql, " AS sees, ", asked.sql, " AS may"});
  sql::append_params(s.params, asked.params);
  return s;
}

sql::Statement actor_facts(const std::optional<std::string>& actor, const EventRef& event,
                           const std::string& action, std::int64_t now,
                           const std::optional<std::string>& room_id) {
  sql::Statement s = actor_facts(actor, event, action, now, RoomScope::of(room_id));
  if (room_id) {
    append_all(s.sql, {", EXISTS (SELECT 1 FROM rooms WHERE id = ? AND event_id = ", event.sql,
                       ") AS room_ok"});
    s.params.emplace_back(*room_id);
    sql::append_params(s.params, event.params);
  }
  return s;
}

std::optional<Error> actor_refusal(const sql::ResultSet& facts, const std::string& what,
                                   const std::string& action,
                                   const std::optional<std::string>& room_id) {
  const sql::Row row(facts, 0);
  if (!row.integer("sees")) return Error::not_found(what + " not found");
  if (room_id && !row.integer("room_ok")) {
    return Error::not_found("room " + *room_id + " is not a room of this event");
  }
  if (!row.integer("may")) return Error::forbidden("the caller lacks " + action + " on " + what);
  return std::nullopt;
}

}  // namespace eventuall::ops::rbac

EVENTUALL_FOR_SIZE_END
