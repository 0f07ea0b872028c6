#include "ops/recording/recording_access.h"

#include "ops/rbac/permission_sql.h"

namespace eventuall::ops::recording {

sql::Statement access_facts(const std::string& actor, const std::string& event_id,
                            const std::optional<std::string>& room_id,
                            const std::string& permission, std::int64_t now) {
  const auto event = rbac::EventRef::value(event_id);
  const rbac::Condition sees =
      rbac::holds_permission(actor, rbac::permission::kEventView, event, {}, now);
  const rbac::Condition may = rbac::holds_permission(actor, permission, event, room_id, now);
  sql::Statement s{"SELECT " + sees.sql + " AS sees, " + may.sql +
                       " AS may, (? IS NULL OR EXISTS (SELECT 1 FROM rooms WHERE id = ? AND "
                       "event_id = ?)) AS room_ok",
                   sees.params};
  s.params.insert(s.params.end(), may.params.begin(), may.params.end());
  s.params.insert(s.params.end(), {room_id, room_id, event_id});
  return s;
}

std::optional<Error> access_refusal(const sql::ResultSet& facts, const std::string& what,
                                    const std::optional<std::string>& room_id,
                                    const std::string& permission) {
  if (facts.empty()) return Error::not_found(what + " not found");
  const sql::Row row(facts, 0);
  if (!row.integer("sees")) return Error::not_found(what + " not found");
  if (!row.integer("room_ok")) {
    return Error::not_found("room " + room_id.value_or("") + " is not a room of this event");
  }
  if (!row.integer("may"))
    return Error::forbidden("the caller lacks " + permission + " on " + what);
  return std::nullopt;
}

}  // namespace eventuall::ops::recording
