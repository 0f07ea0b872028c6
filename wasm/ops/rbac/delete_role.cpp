// Delete an account role (platform roles are never deleted). A role still
// granted — live or expired grants, or pending invitations — is refused with
// conflict naming how many, unless revokeGrants is true: then its grants and
// invitations go in the same batch, and the answer names the events whose
// holders lost it (for the participants cache). Owners of the role's account
// only; another account's role reads like a missing one.
#include <set>

#include "ops/input.h"
#include "ops/rbac/catalog_sql.h"
#include "ops/rbac/rbac_operations.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What delete_role takes and answers (ops/contract.h).
const contract::Contract& delete_role_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("roleId", "roles"), boolean("revokeGrants").optional()},
      .output = {row("deleted", "roles"), integer("revokedGrants"),
                 array("events", of::id("events"))},
      .summary = "Deletes a role, optionally revoking its grants.",
  };
  return kContract;
}

OperationTask delete_role(Context& ctx, Json json) {
  auto args = contract::read(delete_role_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string role_id = args->text("roleId");
  const bool revoke = args->optional_boolean("revokeGrants").value_or(false);

  const auto& roles = schema::webapp_schema().table("roles");
  const rbac::Condition manageable = rbac::role_manageable("?", actor);
  // The role may go: an account role the actor may change, and (unless
  // revoking) held by no grant and no pending invitation.
  sql::Statement may{"EXISTS (SELECT 1 FROM roles WHERE id = ? AND account_id IS NOT NULL) AND " +
                         manageable.sql,
                     {role_id}};
  if (actor) may.params.emplace_back(role_id);
  sql::append_params(may.params, manageable.params);
  const std::string holders =
      "(SELECT count(*) FROM access_grants WHERE role_id = ?) + (SELECT count(*) FROM "
      "invitations WHERE role_id = ? AND status = 'pending')";

  std::vector<sql::Statement> statements;
  const std::size_t facts_at = statements.size();
  statements.push_back(rbac::role_facts(role_id, actor));
  statements.back().sql += ", " + holders + " AS holders";
  statements.back().params.insert(statements.back().params.end(), {role_id, role_id});
  const std::size_t grants_at = statements.size();
  if (revoke) {
    sql::Statement grants{"DELETE FROM access_grants WHERE role_id = ? AND " + may.sql +
                              " RETURNING event_id AS event_id",
                          {role_id}};
    sql::append_params(grants.params, may.params);
    statements.push_back(std::move(grants));
    sql::Statement invitations{"DELETE FROM invitations WHERE role_id = ? AND " + may.sql +
                                   " RETURNING event_id AS event_id",
                               {role_id}};
    sql::append_params(invitations.params, may.params);
    statements.push_back(std::move(invitations));
  }
  // The heirs' role_reach rows as without the role, when it goes (its own
  // rows go with it, ON DELETE CASCADE).
  rbac::Condition goes{may.sql + (revoke ? std::string() : " AND " + holders + " = 0"), may.params};
  if (!revoke) goes.params.insert(goes.params.end(), {role_id, role_id});
  for (auto& s : rbac::refresh_reach(rbac::ReachScope::kHeirsWithoutRole, role_id, goes)) {
    statements.push_back(std::move(s));
  }
  const std::size_t deleted_at = statements.size();
  sql::Statement remove{"DELETE FROM roles WHERE id = ? AND " + may.sql +
                            (revoke ? std::string() : " AND " + holders + " = 0") +
                            " RETURNING " + schema::select_list(roles),
                        {role_id}};
  sql::append_params(remove.params, may.params);
  if (!revoke) remove.params.insert(remove.params.end(), {role_id, role_id});
  statements.push_back(std::move(remove));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  const sql::Row facts((*done)[facts_at], 0);
  if ((*done)[deleted_at].empty()) {
    if (!facts.integer("role_visible") || !facts.integer("manageable")) {
      co_return rbac::role_refusal(facts, role_id);
    }
    if (facts.integer("holders") > 0) {
      co_return Error::conflict("role " + role_id + " is still held by " +
                                std::to_string(facts.integer("holders")) +
                                " grant(s) or pending invitation(s): revoke them, or pass "
                                "revokeGrants: true");
    }
    co_return Error::forbidden("role " + role_id + " is a platform role: platform roles are not deleted");
  }
  std::set<std::string> events;
  std::int64_t revoked = 0;
  if (revoke) {
    for (std::size_t at = grants_at; at < grants_at + 2; ++at) {
      for (const auto& row : (*done)[at].rows) events.insert(row[0].as_text());
    }
    revoked = static_cast<std::int64_t>((*done)[grants_at].size());
  }
  Json event_ids = Json::array();
  for (const auto& e : events) event_ids.push_back(e);
  co_return Json{{"deleted", schema::row_json(roles, sql::Row((*done)[deleted_at], 0))},
                 {"revokedGrants", revoked},
                 {"events", std::move(event_ids)}};
}

}  // namespace eventuall::ops
