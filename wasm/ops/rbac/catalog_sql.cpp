#include "ops/rbac/catalog_sql.h"

namespace eventuall::ops::rbac {

// The roles an actor may change: with no actor, any; otherwise account roles
// of accounts the actor owns.
Condition role_manageable(const std::string& role_column_or_placeholder,
                          const std::optional<std::string>& actor) {
  if (!actor) return {"1", {}};
  return {"EXISTS (SELECT 1 FROM roles managed JOIN account_ownership o ON o.account_id = "
          "managed.account_id WHERE managed.id = " +
              role_column_or_placeholder + " AND o.user_id = ?)",
          {*actor}};
}

// Why a guarded write on a role did not happen. A role of another account
// reads like one that does not exist; a platform role is public but only an
// administrative caller changes it.
Error role_refusal(const sql::Row& facts, const std::string& role_id) {
  if (!facts.integer("role_visible")) return Error::not_found("role " + role_id + " not found");
  return Error::forbidden("role " + role_id + " is a platform role: only administrators change it");
}

// role_visible: the role exists and is platform-wide or of an account the
// actor owns (any role, with no actor); manageable: the actor may change it.
sql::Statement role_facts(const std::string& role_id, const std::optional<std::string>& actor) {
  Condition manageable = role_manageable("?", actor);
  sql::Statement s{"SELECT EXISTS (SELECT 1 FROM roles WHERE id = ? AND (account_id IS NULL OR " +
                       manageable.sql + ")) AS role_visible, " + manageable.sql + " AS manageable",
                   {role_id}};
  for (int i = 0; i < 2; ++i) {
    if (actor) s.params.emplace_back(role_id);
    sql::append_params(s.params, manageable.params);
  }
  return s;
}

sql::Statement remove_from_role(const std::string& table, const std::string& role_id,
                                const std::string& match_sql, std::vector<sql::Value> match_params,
                                const std::optional<std::string>& actor) {
  const Condition manageable = role_manageable("?", actor);
  sql::Statement remove{"DELETE FROM " + table + " WHERE role_id = ? AND " + match_sql + " AND " +
                            manageable.sql + " RETURNING id AS id",
                        {role_id}};
  sql::append_params(remove.params, match_params);
  if (actor) remove.params.emplace_back(role_id);
  sql::append_params(remove.params, manageable.params);
  return remove;
}

std::vector<sql::Statement> refresh_after_edit(const std::string& role_id,
                                               const std::optional<std::string>& actor) {
  Condition manageable = role_manageable("?", actor);
  if (actor) manageable.params.insert(manageable.params.begin(), role_id);
  return refresh_reach(ReachScope::kRoleAndHeirs, role_id, manageable);
}

}  // namespace eventuall::ops::rbac
