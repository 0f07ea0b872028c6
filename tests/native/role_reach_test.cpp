// role_reach, the permissions each role reaches, is kept by the role writes
// themselves: after any sequence of them it equals the table recomputed from
// scratch by a walk of the graph (here, in C++, independent of the SQL), and
// migration 0005 builds it for data already in the tables.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "ops/rbac/permission_sql.h"
#include "test_support.h"

namespace eventuall {
namespace {

using testing::kEventuallAccount;
using testing::kEventuallAdmin;
using testing::kMomentusAdmin;

// (role, permission, distance, next role or "").
using ReachRow = std::tuple<std::string, std::string, std::int64_t, std::string>;

// What role_reach should hold, from roles, role_to_permissions and
// roles_inheritances alone: each role's shortest distance to a role that
// confers each permission (breadth-first over its parents, up to
// kMaxInheritanceDepth), and the parent with the smallest id among those one
// step nearer.
std::set<ReachRow> recomputed(sqlite::SqliteDatabase& db) {
  std::map<std::string, std::vector<std::string>> parents;
  std::map<std::string, std::set<std::string>> direct;
  std::vector<std::string> roles;
  auto all = db.query("SELECT id FROM roles ORDER BY id");
  REQUIRE(all.ok());
  for (const auto& row : all->rows) roles.push_back(row[0].as_text());
  auto edges = db.query("SELECT role_id, parent_role_id FROM roles_inheritances");
  REQUIRE(edges.ok());
  for (const auto& row : edges->rows) parents[row[0].as_text()].push_back(row[1].as_text());
  auto links = db.query("SELECT role_id, permission_id FROM role_to_permissions");
  REQUIRE(links.ok());
  for (const auto& row : links->rows) direct[row[0].as_text()].insert(row[1].as_text());

  // distance[role][permission], by a breadth-first walk from each role.
  std::map<std::string, std::map<std::string, std::int64_t>> distance;
  for (const auto& role : roles) {
    std::map<std::string, std::int64_t> hops{{role, 0}};
    std::vector<std::string> level{role};
    for (std::int64_t d = 0; !level.empty() && d <= ops::rbac::kMaxInheritanceDepth; ++d) {
      std::vector<std::string> next;
      for (const auto& at : level) {
        for (const auto& p : direct[at]) distance[role].emplace(p, d);  // first (nearest) wins
        for (const auto& parent : parents[at]) {
          if (hops.emplace(parent, d + 1).second) next.push_back(parent);
        }
      }
      level = std::move(next);
    }
  }
  std::set<ReachRow> out;
  for (const auto& [role, reached] : distance) {
    for (const auto& [permission, d] : reached) {
      std::string via;
      if (d > 0) {
        for (const auto& parent : parents[role]) {
          auto found = distance[parent].find(permission);
          if (found != distance[parent].end() && found->second == d - 1 &&
              (via.empty() || parent < via)) {
            via = parent;
          }
        }
      }
      out.emplace(role, permission, d, via);
    }
  }
  return out;
}

std::set<ReachRow> maintained(sqlite::SqliteDatabase& db) {
  auto rows = db.query(
      "SELECT role_id, permission_id, distance, coalesce(via_role_id, ''), id = role_id || ':' || "
      "permission_id FROM role_reach");
  REQUIRE(rows.ok());
  std::set<ReachRow> out;
  for (const auto& row : rows->rows) {
    CHECK(row[4].as_integer() == 1);
    out.emplace(row[0].as_text(), row[1].as_text(), row[2].as_integer(), row[3].as_text());
  }
  CHECK(out.size() == rows->size());
  return out;
}

// Rows on one side only, for a failure's message.
std::string difference(const std::set<ReachRow>& want, const std::set<ReachRow>& got) {
  std::string out;
  auto show = [&](const char* side, const std::set<ReachRow>& a, const std::set<ReachRow>& b) {
    for (const auto& row : a) {
      if (b.count(row)) continue;
      out += std::string(side) + " " + std::get<0>(row) + " " + std::get<1>(row) + " " +
             std::to_string(std::get<2>(row)) + " via '" + std::get<3>(row) + "'\n";
    }
  };
  show("missing", want, got);
  show("extra", got, want);
  return out;
}

std::vector<std::string> ids(sqlite::SqliteDatabase& db, const std::string& sql) {
  auto rows = db.query(sql);
  REQUIRE(rows.ok());
  std::vector<std::string> out;
  for (const auto& row : rows->rows) out.push_back(row[0].as_text());
  return out;
}

TEST_CASE("role_reach after the migrations equals the one recomputed from the graph") {
  testing::TestDatabases db;
  const auto want = recomputed(*db.webapp);
  CHECK(want.size() > 9);  // the platform roles' permissions, inherited
  const auto got = maintained(*db.webapp);
  INFO(difference(want, got));
  CHECK(got == want);
}

TEST_CASE("randomized role writes keep role_reach equal to the one recomputed from scratch") {
  const char* env_steps = std::getenv("EVENTUALL_REACH_STEPS");
  const int steps = env_steps ? std::atoi(env_steps) : 800;
  const unsigned seed = 20261201;
  testing::TestDatabases db;
  std::mt19937 rng(seed);
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  auto chance = [&](int percent) { return std::uniform_int_distribution<int>(0, 99)(rng) < percent; };
  const std::vector<std::string> permissions = {
      "event.view", "event.manage", "room.join", "stage.present", "participants.view",
      "invitation.create", "grant.manage", "recording.manage", "order.manage"};
  // Who acts: the account's owner on its roles, the administrator (no actor)
  // on platform roles, now and then a stranger whose writes are refused.
  auto actor_for = [&](const std::string& role, Json& in) {
    auto account = db.webapp->query("SELECT account_id FROM roles WHERE id = ?", {role});
    const bool platform = account.ok() && !account->rows.empty() && account->rows[0][0].is_null();
    if (chance(5)) in["actorUserId"] = kMomentusAdmin;
    else if (!platform) in["actorUserId"] = kEventuallAdmin;
  };
  // A user granted a role of the account, so deletions meet holders.
  const std::string holder =
      db.ok("sign_up", {{"email", "holder@example.com"}, {"name", "Holder"}})["user"]["id"];
  const std::string event = db.ok("create_event", {{"actorUserId", kEventuallAdmin},
                                                    {"accountId", kEventuallAccount},
                                                    {"name", "Reach"}})["event"]["id"];
  std::map<std::string, int> tried, done;
  int compared = 0;
  for (int step = 0; step < steps; ++step) {
    const auto account_roles = ids(*db.webapp, "SELECT id FROM roles WHERE account_id = '" +
                                                   kEventuallAccount + "' ORDER BY id");
    const auto usable = ids(*db.webapp, "SELECT id FROM roles WHERE account_id IS NULL OR account_id = '" +
                                            kEventuallAccount + "' ORDER BY id");
    const auto edges = ids(*db.webapp, "SELECT role_id || ' ' || parent_role_id FROM roles_inheritances "
                                       "ORDER BY id");
    const int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    std::string op;
    Json in = Json::object();
    if (kind <= 1 || account_roles.size() < 3) {
      op = "define_role";
      Json parents = Json::array();
      std::set<std::string> chosen;
      const int n = std::uniform_int_distribution<int>(0, 3)(rng);
      for (int i = 0; i < n; ++i) chosen.insert(pick(usable));
      for (const auto& p : chosen) parents.push_back(p);
      Json granted = Json::array();
      std::set<std::string> names;
      const int m = std::uniform_int_distribution<int>(0, 2)(rng);
      for (int i = 0; i < m; ++i) names.insert(pick(permissions));
      for (const auto& p : names) granted.push_back(p);
      in = {{"actorUserId", kEventuallAdmin}, {"accountId", kEventuallAccount},
            {"name", "r" + std::to_string(step)}, {"permissions", granted}, {"inherits", parents}};
      if (chance(8)) in = {{"name", "platform" + std::to_string(step)}, {"permissions", granted},
                           {"inherits", Json::array()}};  // a platform role
    } else if (kind == 2 || kind == 3) {
      op = "add_role_inheritance";
      const std::string role = chance(10) ? pick(usable) : pick(account_roles);
      in = {{"roleId", role}, {"parentRoleId", pick(usable)}};
      actor_for(role, in);
    } else if (kind == 4 && !edges.empty()) {
      op = "remove_role_inheritance";
      const std::string edge = pick(edges);
      const std::string role = edge.substr(0, edge.find(' '));
      in = {{"roleId", role}, {"parentRoleId", edge.substr(edge.find(' ') + 1)}};
      actor_for(role, in);
    } else if (kind == 5 || kind == 6) {
      op = "add_role_permission";
      const std::string role = chance(15) ? pick(usable) : pick(account_roles);
      in = {{"roleId", role}, {"permission", pick(permissions)}};
      actor_for(role, in);
    } else if (kind == 7) {
      op = "remove_role_permission";
      const std::string role = chance(15) ? pick(usable) : pick(account_roles);
      in = {{"roleId", role}, {"permission", pick(permissions)}};
      actor_for(role, in);
    } else if (kind == 8) {
      op = "delete_role";
      const std::string role = pick(account_roles);
      in = {{"roleId", role}, {"revokeGrants", chance(50)}};
      actor_for(role, in);
    } else {
      op = "grant_access";
      in = {{"actorUserId", kEventuallAdmin}, {"userId", holder}, {"eventId", event},
            {"roleId", pick(account_roles)}};
    }
    ++tried[op];
    if (db.call(op, in).ok()) ++done[op];
    const auto want = recomputed(*db.webapp);
    const auto got = maintained(*db.webapp);
    INFO("step " << step << ": " << op << " " << dump_json(in));
    INFO(difference(want, got));
    REQUIRE(got == want);
    ++compared;
  }
  std::string summary;
  for (const auto& [op, n] : tried) {
    summary += " " + op + " " + std::to_string(done[op]) + "/" + std::to_string(n);
  }
  MESSAGE("role_reach (seed " << seed << "): " << compared << " steps compared, done/tried:" << summary);
  CHECK(done["add_role_inheritance"] > 10);
  CHECK(done["remove_role_inheritance"] > 5);
  CHECK(done["delete_role"] > 3);
}

TEST_CASE("migration 0005 builds role_reach for roles already in the tables") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() /
                       ("eventuall_reach_" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(testing::source_path("migrations/webapp"))) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".sql" && name < "0005") fs::copy(entry.path(), dir / name);
  }
  auto db = testing::open_memory();
  REQUIRE(sqlite::apply_migrations(*db, dir.string()).ok());
  REQUIRE(sqlite::apply_sql_file(*db, testing::source_path("migrations/seeds/account_user.sql")).ok());
  // Account roles written as an older release would have: a layered graph
  // over the platform roles, with permissions here and there, and one chain
  // deeper than kMaxInheritanceDepth (its far end is not reached).
  std::mt19937 rng(7);
  std::vector<std::string> roles = ids(*db, "SELECT id FROM roles ORDER BY id");
  const auto permissions = ids(*db, "SELECT id FROM permissions ORDER BY id");
  for (int i = 0; i < 60; ++i) {
    char id[25];
    std::snprintf(id, sizeof id, "legacyrole%014d", i);
    REQUIRE(db->query("INSERT INTO roles (id, account_id, name, created_at) VALUES (?, ?, ?, 1)",
                      {std::string(id), kEventuallAccount, "legacy" + std::to_string(i)})
                .ok());
    const bool chain = i >= 30;
    const int parents = chain ? (i > 30 ? 1 : 0) : std::uniform_int_distribution<int>(0, 3)(rng);
    for (int p = 0; p < parents; ++p) {
      const std::string parent =
          chain ? roles.back() : roles[std::uniform_int_distribution<std::size_t>(0, roles.size() - 1)(rng)];
      REQUIRE(db->query("INSERT OR IGNORE INTO roles_inheritances (id, role_id, parent_role_id, "
                        "created_at) VALUES (?, ?, ?, 1)",
                        {"e" + std::string(id).substr(1) + std::to_string(p), std::string(id), parent})
                  .ok());
    }
    if (!chain ? i % 3 == 0 : i == 30) {
      const std::string permission =
          permissions[std::uniform_int_distribution<std::size_t>(0, permissions.size() - 1)(rng)];
      REQUIRE(db->query("INSERT INTO role_to_permissions (id, role_id, permission_id, created_at) "
                        "VALUES (?, ?, ?, 1)",
                        {"l" + std::string(id).substr(1), std::string(id), permission})
                  .ok());
    }
    roles.push_back(id);
  }
  fs::copy(testing::source_path("migrations/webapp/0005_role_reach.sql"), dir / "0005_role_reach.sql");
  for (const auto& entry : fs::directory_iterator(testing::source_path("migrations/webapp"))) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".sql" && name > "0005" && !fs::exists(dir / name)) {
      fs::copy(entry.path(), dir / name);
    }
  }
  REQUIRE(sqlite::apply_migrations(*db, dir.string()).ok());
  fs::remove_all(dir);
  const auto want = recomputed(*db);
  const auto got = maintained(*db);
  INFO(difference(want, got));
  CHECK(got == want);
  // The chain's bottom role (legacy59) is 29 edges below the permission:
  // beyond the depth reads look at.
  auto deep = db->query("SELECT count(*) FROM role_reach WHERE role_id = 'legacyrole00000000000059'");
  REQUIRE(deep.ok());
  CHECK(deep->rows[0][0].as_integer() == 0);
  auto shallow = db->query("SELECT count(*) FROM role_reach WHERE role_id = 'legacyrole00000000000046'");
  REQUIRE(shallow.ok());
  CHECK(shallow->rows[0][0].as_integer() == 1);
}

}  // namespace
}  // namespace eventuall
