// The RBAC catalog: permissions, roles, what roles grant and inherit. Each
// operation is one batch: guarded writes, then a diagnostic read that says why
// nothing was written when a guard held it back.
//
// actorUserId absent means an administrative call (the Worker's own code);
// present, the actor must own the account of every account role touched, and
// may not change platform-wide roles.
#include "id/cuid2.h"
#include "ops/input.h"
#include "ops/rbac/permission_sql.h"
#include "ops/rbac/rbac_operations.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

namespace {

constexpr std::size_t kMaxPermissionsPerRole = 100;
constexpr std::size_t kMaxParentsPerRole = 20;

// e.g. event.view, recording.manage: two or more dotted lowercase words.
bool valid_permission_name(const std::string& name) {
  bool word_start = true;
  int words = 0;
  for (char c : name) {
    const bool letter = c >= 'a' && c <= 'z';
    if (word_start) {
      if (!letter) return false;
      word_start = false;
      ++words;
    } else if (c == '.') {
      word_start = true;
    } else if (!letter && !(c >= '0' && c <= '9') && c != '_') {
      return false;
    }
  }
  return !word_start && words >= 2;
}

// The roles an actor may change: with no actor, any; otherwise account roles
// of accounts the actor owns.
rbac::Condition role_manageable(const std::string& role_column_or_placeholder,
                                const std::optional<std::string>& actor) {
  if (!actor) return {"1", {}};
  return {"EXISTS (SELECT 1 FROM roles managed JOIN account_ownership o ON o.account_id = "
          "managed.account_id WHERE managed.id = " +
              role_column_or_placeholder + " AND o.user_id = ?)",
          {*actor}};
}

// Why a guarded write on a role did not happen: unknown role, or not the
// actor's to change.
Error role_refusal(const sql::Row& facts, const std::string& role_id) {
  if (!facts.integer("role_exists")) return Error::not_found("role " + role_id + " not found");
  return Error::forbidden("role " + role_id + " is not one the caller may change");
}

sql::Statement role_facts(const std::string& role_id, const std::optional<std::string>& actor) {
  rbac::Condition manageable = role_manageable("?", actor);
  sql::Statement s{"SELECT EXISTS (SELECT 1 FROM roles WHERE id = ?) AS role_exists, " +
                       manageable.sql + " AS manageable",
                   {role_id}};
  if (actor) s.params.emplace_back(role_id);
  for (auto& p : manageable.params) s.params.push_back(std::move(p));
  return s;
}

}  // namespace

OperationTask define_permission(Context& ctx, Json json) {
  Input in(json);
  const std::string name = in.text("name", {.max_length = 100});
  const auto description = in.optional_text("description", {.max_length = 500});
  if (in.ok() && !valid_permission_name(name)) {
    in.reject("name", "must be dotted lowercase words, e.g. event.view");
  }
  if (!in.ok()) co_return in.error();

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

OperationTask define_role(Context& ctx, Json json) {
  Input in(json);
  const std::string name = in.text("name", {.max_length = 100});
  const auto description = in.optional_text("description", {.max_length = 500});
  const auto account_id = in.optional_id("accountId");
  const auto actor = in.optional_id("actorUserId");
  Json permission_names = Json::array();
  for (const auto& p : in.array("permissions", kMaxPermissionsPerRole)) {
    if (!p.is_string()) in.reject("permissions", "must be an array of permission names");
    else permission_names.push_back(p);
  }
  Json parent_ids = Json::array();
  for (const auto& p : in.array("inherits", kMaxParentsPerRole)) {
    if (!p.is_string() || !id::is_our_id(p.get<std::string>())) {
      in.reject("inherits", "must be an array of role ids");
    } else {
      parent_ids.push_back(p);
    }
  }
  if (actor && !account_id) in.reject("accountId", "is required when an actor defines a role");
  if (!in.ok()) co_return in.error();

  const auto& roles = schema::webapp_schema().table("roles");
  const std::int64_t now = ctx.now_seconds();
  const std::string role_id = ctx.new_id();
  const std::string names_json = dump_json(permission_names);
  const std::string parents_json = dump_json(parent_ids);

  // Every named permission exists, every parent is platform-wide or of the
  // same account, and an actor owns the account.
  schema::Guard guard{
      "NOT EXISTS (SELECT 1 FROM json_each(?) j WHERE NOT EXISTS "
      "(SELECT 1 FROM permissions WHERE name = j.value))"
      " AND NOT EXISTS (SELECT 1 FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM roles r "
      "WHERE r.id = j.value AND (r.account_id IS NULL OR r.account_id IS ?)))",
      {names_json, parents_json, account_id}};
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
       "roles r WHERE r.id = j.value AND (r.account_id IS NULL OR r.account_id IS ?))) AS bad_parents",
       {names_json, parents_json, account_id}});

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
    co_return Error::forbidden("only owners of account " + account_id.value_or("") +
                               " may define its roles");
  }
  Json out = Json::object();
  out["role"] = schema::row_json(roles, sql::Row((*written)[0], 0));
  out["permissions"] = permission_names;
  out["inherits"] = parent_ids;
  co_return out;
}

OperationTask add_role_permission(Context& ctx, Json json) {
  Input in(json);
  const std::string role_id = in.id("roleId");
  const std::string permission = in.text("permission", {.max_length = 100});
  const auto actor = in.optional_id("actorUserId");
  if (!in.ok()) co_return in.error();

  rbac::Condition manageable = role_manageable("?", actor);
  std::vector<sql::Statement> statements;
  statements.push_back(
      {"INSERT INTO role_to_permissions (id, role_id, permission_id, created_at) "
       "SELECT ?, ?, p.id, ? FROM permissions p WHERE p.name = ? "
       "AND EXISTS (SELECT 1 FROM roles WHERE id = ?) AND " +
           manageable.sql + " ON CONFLICT DO NOTHING RETURNING id AS id",
       {ctx.new_id(), role_id, ctx.now_seconds(), permission, role_id}});
  if (actor) statements.back().params.emplace_back(role_id);
  for (auto& p : manageable.params) statements.back().params.push_back(std::move(p));
  statements.push_back(role_facts(role_id, actor));
  statements.push_back({"SELECT EXISTS (SELECT 1 FROM permissions WHERE name = ?) AS found", {permission}});

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  const sql::Row facts((*written)[1], 0);
  if (!facts.integer("role_exists") || !facts.integer("manageable")) {
    co_return role_refusal(facts, role_id);
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

OperationTask add_role_inheritance(Context& ctx, Json json) {
  Input in(json);
  const std::string role_id = in.id("roleId");
  const std::string parent_id = in.id("parentRoleId");
  const auto actor = in.optional_id("actorUserId");
  if (in.ok() && role_id == parent_id) in.reject("parentRoleId", "must differ from roleId");
  if (!in.ok()) co_return in.error();

  const std::string depth = std::to_string(rbac::kMaxInheritanceDepth);
  // Adding role -> parent closes a cycle exactly when role is already an
  // ancestor of parent.
  const std::string ancestors_of_parent =
      "WITH RECURSIVE up(id, depth) AS (SELECT ?, 0 UNION SELECT ri.parent_role_id, up.depth + 1 "
      "FROM roles_inheritances ri JOIN up ON ri.role_id = up.id WHERE up.depth < " + depth + ")";
  rbac::Condition manageable = role_manageable("?", actor);
  std::vector<sql::Statement> statements;
  statements.push_back(
      {"INSERT INTO roles_inheritances (id, role_id, parent_role_id, created_at) "
       "SELECT ?, child.id, parent.id, ? FROM roles child JOIN roles parent ON parent.id = ? "
       "WHERE child.id = ? AND (parent.account_id IS NULL OR parent.account_id IS child.account_id) "
       "AND NOT EXISTS (" + ancestors_of_parent + " SELECT 1 FROM up WHERE id = ?) AND " +
           manageable.sql + " ON CONFLICT DO NOTHING RETURNING id AS id",
       {ctx.new_id(), ctx.now_seconds(), parent_id, role_id, parent_id, role_id}});
  if (actor) statements.back().params.emplace_back(role_id);
  for (auto& p : manageable.params) statements.back().params.push_back(std::move(p));
  statements.push_back(role_facts(role_id, actor));
  // The chain the new link would close, named, for the conflict message.
  statements.push_back(
      {"WITH RECURSIVE up(id, depth, path) AS (SELECT p.id, 0, json_array(c.name, p.name) "
       "FROM roles p, roles c WHERE p.id = ? AND c.id = ? UNION ALL SELECT ri.parent_role_id, "
       "up.depth + 1, json_insert(up.path, '$[#]', r.name) FROM roles_inheritances ri "
       "JOIN up ON ri.role_id = up.id JOIN roles r ON r.id = ri.parent_role_id WHERE up.depth < " +
           depth +
           ") SELECT path AS path FROM up WHERE id = ? ORDER BY depth LIMIT 1",
       {parent_id, role_id, role_id}});
  statements.push_back(
      {"SELECT EXISTS (SELECT 1 FROM roles WHERE id = ?) AS parent_exists, "
       "EXISTS (SELECT 1 FROM roles_inheritances WHERE role_id = ? AND parent_role_id = ?) AS linked",
       {parent_id, role_id, parent_id}});

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  if ((*written)[0].empty()) {
    const sql::Row facts((*written)[1], 0);
    const sql::Row parent((*written)[3], 0);
    if (!facts.integer("role_exists") || !facts.integer("manageable")) {
      co_return role_refusal(facts, role_id);
    }
    if (!parent.integer("parent_exists")) {
      co_return Error::not_found("role " + parent_id + " not found");
    }
    if (!(*written)[2].empty()) {
      auto path = parse_json(sql::Row((*written)[2], 0).text("path"));
      std::string cycle;
      if (path.ok()) {
        for (const auto& name : *path) {
          cycle += (cycle.empty() ? "" : " -> ") + name.get<std::string>();
        }
      }
      co_return Error::conflict("role inheritance would create a cycle: " + cycle);
    }
    if (!parent.integer("linked")) {
      co_return Error::forbidden("role " + parent_id + " belongs to another account");
    }
  }
  Json out = Json::object();
  out["roleId"] = role_id;
  out["parentRoleId"] = parent_id;
  out["added"] = !(*written)[0].empty();
  co_return out;
}

}  // namespace eventuall::ops
