#include "ops/rbac/actor_facts.h"

namespace eventuall::ops::rbac {

Condition may_act(const std::optional<std::string>& actor, const std::string& permission,
                  const EventRef& event, std::int64_t now) {
  if (actor) return holds_permission(*actor, permission, event, {}, now);
  return {"EXISTS (SELECT 1 FROM events WHERE id = " + event.sql + ")", event.params};
}

sql::Statement actor_facts(const std::optional<std::string>& actor, const EventRef& event,
                           const std::string& action, std::int64_t now) {
  Condition sees = may_act(actor, permission::kEventView, event, now);
  Condition may = may_act(actor, action, event, now);
  sql::Statement s{"SELECT " + sees.sql + " AS sees, " + may.sql + " AS may", sees.params};
  s.params.insert(s.params.end(), may.params.begin(), may.params.end());
  return s;
}

std::optional<Error> actor_refusal(const sql::ResultSet& facts, const std::string& what,
                                   const std::string& action) {
  const sql::Row row(facts, 0);
  if (!row.integer("sees")) return Error::not_found(what + " not found");
  if (!row.integer("may")) return Error::forbidden("the caller lacks " + action + " on " + what);
  return std::nullopt;
}

}  // namespace eventuall::ops::rbac
