#pragma once
// Who may read and change roles of the catalog, shared by the catalog's
// operations (catalog.cpp, list_roles.cpp, get_role.cpp and the removals).
// Platform roles are public and administrative; an account's roles are its
// owners' to change; a role of another account reads like a missing one.

#include <optional>
#include <string>

#include "common/status.h"
#include "ops/rbac/permission_sql.h"

namespace eventuall::ops::rbac {

// The roles an actor may change: with no actor, any; otherwise account roles
// of accounts the actor owns. role_sql is a column or "?" (bound to the role).
Condition role_manageable(const std::string& role_sql, const std::optional<std::string>& actor);

// SELECT role_visible, manageable for one role (see role_refusal).
sql::Statement role_facts(const std::string& role_id, const std::optional<std::string>& actor);

// DELETE FROM <table> WHERE role_id = ? AND <match> AND the actor may change
// the role, RETURNING id: the removals' one guarded write.
sql::Statement remove_from_role(const std::string& table, const std::string& role_id,
                                const std::string& match_sql, std::vector<sql::Value> match_params,
                                const std::optional<std::string>& actor);

// The statements that rewrite role_reach after a change to role_id's
// permissions or parents (rbac::refresh_reach), run only when the actor may
// change the role: to be put after the change, in its batch.
std::vector<sql::Statement> refresh_after_edit(const std::string& role_id,
                                               const std::optional<std::string>& actor);

// not_found for a role the actor cannot see, forbidden for a platform role.
Error role_refusal(const sql::Row& facts, const std::string& role_id);

}  // namespace eventuall::ops::rbac
