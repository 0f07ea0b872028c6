// The RBAC catalog: permissions, roles, what roles grant and inherit. Each
// operation is one batch: guarded writes, then a diagnostic read that says why
// nothing was written when a guard held it back.
//
// actorUserId absent means an administrative call (the Worker's own code);
// present, the actor must own the account of every account role touched, and
// may not change platform-wide roles.
#include "ops/contract.h"
#include "ops/rbac/catalog_sql.h"
#include "ops/rbac/permission_sql.h"
#include "ops/rbac/rbac_operations.h"
#include "ops/rbac/role_walk.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

namespace {

constexpr std::size_t kMaxPermissionsPerRole = 100;
using rbac::kMaxParentsPerRole;

}  // namespace

// What define_permission takes and answers (ops/contract.h).
const contract::Contract& define_permission_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {permission("name"), text("description").max(500).optional()},
      .output = {row("permission", "permissions")},
      .summary = "Adds a permission to the catalog.",
  };
  return kContract;
}

OperationTask define_permission(Context& ctx, Json json) {
  auto args = contract::read(define_permission_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string name = args->text("name");
  const auto description = args->optional_text("description");

  const auto& permissions = schema::webapp_schema().table("permissions");
  sql::Statement insert = schema::Insert(permissions)
                              .set("id", ctx.new_id())
                              .set("name", name)
                              .set("description", description)
                              .set("created_at", ctx.now_seconds())
                              .returning_row()
                              .build();
  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(insert));
  if (!written.ok()) {
    if (written.error().code() == ErrorCode::kConflict) {
      co_return Error::conflict("permission " + name + " already exists");
    }
    co_return written.take_error();
  }
  Json out = Json::object();
  out["permission"] = schema::row_json(permissions, sql::Row((*written)[0], 0));
  co_return out;
}

// What define_role takes and answers (ops/contract.h).
const contract::Contract& define_role_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {text("name").max(100), text("description").max(500).optional(),
                id("accountId", "accounts").optional(), actor().optional(),
                array("permissions", of::permission(), kMaxPermissionsPerRole).optional(),
                array("inherits", of::id("roles"), kMaxParentsPerRole).optional()},
      .output = {row("role", "roles"), array("permissions", of::permission()),
                 array("inherits", of::id("roles"))},
      .summary = "A new role (platform-wide, or an account's) with its permissions and parents.",
  };
  return kContract;
}

OperationTask define_role(Context& ctx, Json json) {
  auto args = contract::read(define_role_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string name = args->text("name");
  const auto description = args->optional_text("description");
  const auto account_id = args->optional_text("accountId");
  const auto actor = args->optional_text("actorUserId");
  const Json permission_names = Json(args->items("permissions"));
  const Json parent_ids = Json(args->items("inherits"));
  if (actor && !account_id) {
    co_return Error::invalid_input("accountId is required when an actor defines a role");
  }

  const auto& roles = schema::webapp_schema().table("roles");
  const std::int64_t now = ctx.now_seconds();
  const std::string role_id = ctx.new_id();
  const std::string names_json = dump_json(permission_names);
  const std::string parents_json = dump_json(parent_ids);

  // The account's role count and the longest chain above the parents (capped
  // just past the limit): the new role sits one edge below them.
  const std::string role_count = "(SELECT count(*) FROM roles WHERE coalesce(account_id, '') = ?)";
  const std::string limit = std::to_string(rbac::kMaxInheritanceDepth);
  const std::string longest =
      "(WITH RECURSIVE up(id, d) AS (SELECT value, 0 FROM json_each(?) UNION SELECT "
      "ri.parent_role_id, up.d + 1 FROM roles_inheritances ri JOIN up ON ri.role_id = up.id "
      "WHERE up.d <= " + limit + ") SELECT coalesce(max(d), -1) + 1 FROM up)";

  // Every named permission exists, every parent is platform-wide or of the
  // same account, an actor owns the account, and the limits hold.
  schema::Guard guard{
      "NOT EXISTS (SELECT 1 FROM json_each(?) j WHERE NOT EXISTS "
      "(SELECT 1 FROM permissions WHERE name = j.value))"
      " AND NOT EXISTS (SELECT 1 FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM roles r "
      "WHERE r.id = j.value AND (r.account_id IS NULL OR r.account_id IS ?)))"
      " AND (? IS NULL OR " + role_count + " < " + std::to_string(rbac::kMaxRolesPerAccount) +
      ") AND " + longest + " <= " + limit,
      {names_json, parents_json, account_id, account_id, account_id.value_or(""), parents_json}};
  if (actor) {
    rbac::Condition owner = rbac::owns_account(*actor, *account_id);
    guard.where_sql += " AND " + owner.sql;
    for (auto& p : owner.params) guard.params.push_back(std::move(p));
  }

  std::vector<sql::Statement> statements;
  statements.push_back(schema::Insert(roles)
                           .set("id", role_id)
                           .set("account_id", account_id)
                           .set("name", name)
                           .set("description", description)
                           .set("created_at", now)
                           .only_if(std::move(guard))
                           .returning_row()
                           .build());
  // Ids for the links come from here (CUID2s cannot be made in SQL): a JSON
  // array of [id, name] pairs joined to the catalog.
  Json links = Json::array();
  for (const auto& p : permission_names) links.push_back(Json::array({ctx.new_id(), p}));
  statements.push_back(
      {"INSERT INTO role_to_permissions (id, role_id, permission_id, created_at) "
       "SELECT json_extract(j.value, '$[0]'), ?, p.id, ? FROM json_each(?) j "
       "JOIN permissions p ON p.name = json_extract(j.value, '$[1]') "
       "WHERE EXISTS (SELECT 1 FROM roles WHERE id = ?)",
       {role_id, now, dump_json(links), role_id}});
  Json parents = Json::array();
  for (const auto& p : parent_ids) parents.push_back(Json::array({ctx.new_id(), p}));
  statements.push_back(
      {"INSERT INTO roles_inheritances (id, role_id, parent_role_id, created_at) "
       "SELECT json_extract(j.value, '$[0]'), ?, json_extract(j.value, '$[1]'), ? "
       "FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM roles WHERE id = ?)",
       {role_id, now, dump_json(parents), role_id}});
  statements.push_back(
      {"SELECT (SELECT json_group_array(j.value) FROM json_each(?) j WHERE NOT EXISTS "
       "(SELECT 1 FROM permissions WHERE name = j.value)) AS missing_permissions, "
       "(SELECT json_group_array(j.value) FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM "
       "roles r WHERE r.id = j.value AND (r.account_id IS NULL OR r.account_id IS ?))) AS bad_parents, " +
           role_count + " AS role_count, " + longest + " AS longest",
       {names_json, parents_json, account_id, account_id.value_or(""), parents_json}});
  // The new role's role_reach rows (it has no heirs yet), once it exists.
  for (auto& s : rbac::refresh_reach(rbac::ReachScope::kRoleAndHeirs, role_id,
                                     {"EXISTS (SELECT 1 FROM roles WHERE id = ?)", {role_id}})) {
    statements.push_back(std::move(s));
  }

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) {
    if (written.error().code() == ErrorCode::kConflict) {
      co_return Error::conflict("a role named " + name + " already exists there");
    }
    co_return written.take_error();
  }
  if ((*written)[0].empty()) {
    const sql::Row facts((*written)[3], 0);
    if (facts.text("missing_permissions") != "[]") {
      co_return Error::not_found("unknown permissions: " + facts.text("missing_permissions"));
    }
    if (facts.text("bad_parents") != "[]") {
      co_return Error::not_found("unknown roles to inherit from: " + facts.text("bad_parents"));
    }
    if (facts.integer("longest") > rbac::kMaxInheritanceDepth) {
      co_return Error::conflict("inheriting these roles makes a chain deeper than " + limit +
                                " edges (kMaxInheritanceDepth)");
    }
    if (account_id && facts.integer("role_count") >= static_cast<std::int64_t>(rbac::kMaxRolesPerAccount)) {
      co_return Error::conflict("account " + *account_id + " already has " +
                                std::to_string(rbac::kMaxRolesPerAccount) +
                                " roles, the most one account may (kMaxRolesPerAccount)");
    }
    co_return Error::forbidden("only owners of account " + account_id.value_or("") +
                               " may define its roles");
  }
  Json out = Json::object();
  out["role"] = schema::row_json(roles, sql::Row((*written)[0], 0));
  out["permissions"] = permission_names;
  out["inherits"] = parent_ids;
  co_return out;
}

// What add_role_permission takes and answers (ops/contract.h).
const contract::Contract& add_role_permission_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("roleId", "roles"), permission("permission"), actor().optional()},
      .output = {id("roleId", "roles"), permission("permission"), boolean("added")},
      .summary = "Lets a role confer a permission.",
  };
  return kContract;
}

OperationTask add_role_permission(Context& ctx, Json json) {
  auto args = contract::read(add_role_permission_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string role_id = args->text("roleId");
  const std::string permission = args->text("permission");
  const auto actor = args->optional_text("actorUserId");

  rbac::Condition manageable = rbac::role_manageable("?", actor);
  std::vector<sql::Statement> statements;
  statements.push_back(
      {"INSERT INTO role_to_permissions (id, role_id, permission_id, created_at) "
       "SELECT ?, ?, p.id, ? FROM permissions p WHERE p.name = ? "
       "AND EXISTS (SELECT 1 FROM roles WHERE id = ?) AND " +
           manageable.sql + " ON CONFLICT DO NOTHING RETURNING id AS id",
       {ctx.new_id(), role_id, ctx.now_seconds(), permission, role_id}});
  if (actor) statements.back().params.emplace_back(role_id);
  for (auto& p : manageable.params) statements.back().params.push_back(std::move(p));
  statements.push_back(rbac::role_facts(role_id, actor));
  statements.push_back({"SELECT EXISTS (SELECT 1 FROM permissions WHERE name = ?) AS found", {permission}});
  for (auto& s : rbac::refresh_after_edit(role_id, actor)) statements.push_back(std::move(s));

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  const sql::Row facts((*written)[1], 0);
  if (!facts.integer("role_visible") || !facts.integer("manageable")) {
    co_return rbac::role_refusal(facts, role_id);
  }
  if (!sql::Row((*written)[2], 0).integer("found")) {
    co_return Error::not_found("permission " + permission + " not found");
  }
  Json out = Json::object();
  out["roleId"] = role_id;
  out["permission"] = permission;
  out["added"] = !(*written)[0].empty();  // false: the role already had it
  co_return out;
}

// Make a role inherit another (platform-wide, or of the same account). The
// edge is refused when it would close a cycle (the parent already reaches the
// role, at any depth: conflict naming the cycle), make a chain longer than
// kMaxInheritanceDepth, or give the role more than kMaxParentsPerRole
// parents. Every walk here is over sets of (role, depth) bounded by the limit.
// What add_role_inheritance takes and answers (ops/contract.h).
const contract::Contract& add_role_inheritance_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("roleId", "roles"), id("parentRoleId", "roles"), actor().optional()},
      .output = {id("roleId", "roles"), id("parentRoleId", "roles"), boolean("added")},
      .summary = "Makes a role inherit another.",
  };
  return kContract;
}

OperationTask add_role_inheritance(Context& ctx, Json json) {
  auto args = contract::read(add_role_inheritance_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string role_id = args->text("roleId");
  const std::string parent_id = args->text("parentRoleId");
  const auto actor = args->optional_text("actorUserId");

  const std::string limit = std::to_string(rbac::kMaxInheritanceDepth);
  const rbac::Condition above_parent = rbac::role_closure("above", rbac::EventRef::value(parent_id));
  // The longest chain above the parent and below the role, each capped just
  // past the limit so that the walk stays bounded.
  const std::string longest =
      "(WITH RECURSIVE up(id, d) AS (SELECT ?, 0 UNION SELECT ri.parent_role_id, up.d + 1 "
      "FROM roles_inheritances ri JOIN up ON ri.role_id = up.id WHERE up.d <= " + limit +
      "), down(id, d) AS (SELECT ?, 0 UNION SELECT ri.role_id, down.d + 1 FROM roles_inheritances "
      "ri JOIN down ON ri.parent_role_id = down.id WHERE down.d <= " + limit +
      ") SELECT (SELECT max(d) FROM up) + 1 + (SELECT max(d) FROM down))";
  const std::string closes_cycle =
      "EXISTS (WITH RECURSIVE " + above_parent.sql + " SELECT 1 FROM above WHERE role_id = ?)";
  const std::string parents = "(SELECT count(*) FROM roles_inheritances WHERE role_id = ?)";
  rbac::Condition manageable = rbac::role_manageable("?", actor);

  std::vector<sql::Statement> statements;
  const std::size_t inserted_at = statements.size();
  sql::Statement insert{
      "INSERT INTO roles_inheritances (id, role_id, parent_role_id, created_at) "
      "SELECT ?, child.id, parent.id, ? FROM roles child JOIN roles parent ON parent.id = ? "
      "WHERE child.id = ? AND (parent.account_id IS NULL OR parent.account_id IS child.account_id) "
      "AND NOT " + closes_cycle + " AND " + longest + " <= " + limit + " AND " + parents + " < " +
          std::to_string(kMaxParentsPerRole) + " AND " + manageable.sql +
          " ON CONFLICT DO NOTHING RETURNING id AS id",
      {ctx.new_id(), ctx.now_seconds(), parent_id, role_id, parent_id, role_id, parent_id,
       role_id, role_id}};
  if (actor) insert.params.emplace_back(role_id);
  sql::append_params(insert.params, manageable.params);
  statements.push_back(std::move(insert));
  const std::size_t facts_at = statements.size();
  statements.push_back(rbac::role_facts(role_id, actor));
  const std::size_t parent_at = statements.size();
  statements.push_back(
      {"SELECT EXISTS (SELECT 1 FROM roles parent JOIN roles child ON child.id = ? WHERE parent.id = ?"
       " AND (parent.account_id IS NULL OR parent.account_id IS child.account_id)) AS parent_usable, "
       "EXISTS (SELECT 1 FROM roles_inheritances WHERE role_id = ? AND parent_role_id = ?) AS linked, " +
           closes_cycle + " AS cycle, " + longest + " AS longest, " + parents + " AS parents",
       {role_id, parent_id, role_id, parent_id, parent_id, role_id, parent_id, role_id, role_id}});
  // The roles above the parent and their edges, to name the cycle.
  const std::size_t roles_at = statements.size();
  statements.push_back({"WITH RECURSIVE " + above_parent.sql +
                            " SELECT above.role_id AS role_id, r.name AS name, above.role_id = ?"
                            " AS target FROM above JOIN roles r ON r.id = above.role_id",
                        {parent_id, role_id}});
  const std::size_t edges_at = statements.size();
  statements.push_back(rbac::edges_among("above", above_parent));
  for (auto& s : rbac::refresh_after_edit(role_id, actor)) statements.push_back(std::move(s));

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  if ((*written)[inserted_at].empty()) {
    const sql::Row facts((*written)[facts_at], 0);
    const sql::Row parent((*written)[parent_at], 0);
    if (!facts.integer("role_visible") || !facts.integer("manageable")) {
      co_return rbac::role_refusal(facts, role_id);
    }
    if (!parent.integer("linked")) {
      if (!parent.integer("parent_usable")) {
        co_return Error::not_found("role " + parent_id + " not found");
      }
      if (parent.integer("cycle")) {
        const rbac::RoleWalk walk((*written)[roles_at], (*written)[edges_at]);
        std::string cycle;
        std::string child_name;
        for (const auto& row : (*written)[roles_at].rows) {
          if (row[0].as_text() == role_id) child_name = row[1].as_text();
        }
        for (const auto& name : walk.shortest_chain(parent_id)) cycle += " -> " + name;
        co_return Error::conflict("role inheritance would create a cycle: " + child_name + cycle);
      }
      if (parent.integer("parents") >= static_cast<std::int64_t>(kMaxParentsPerRole)) {
        co_return Error::conflict("role " + role_id + " already inherits from " +
                                  std::to_string(kMaxParentsPerRole) +
                                  " roles, the most one role may (kMaxParentsPerRole)");
      }
      co_return Error::conflict("role inheritance would make a chain of " +
                                std::to_string(parent.integer("longest")) +
                                " roles' edges; the deepest allowed is " + limit +
                                " (kMaxInheritanceDepth)");
    }
  }
  Json out = Json::object();
  out["roleId"] = role_id;
  out["parentRoleId"] = parent_id;
  out["added"] = !(*written)[inserted_at].empty();
  co_return out;
}

}  // namespace eventuall::ops
