// RBAC at scale: Casbin's published RBAC shapes (users/roles 1k/100, 10k/1k,
// 100k/10k) with inheritance chains, on a native SQLite database migrated like
// production. Reports the latency of one `can` check through the whole
// operation path (JSON in, one batch, JSON out) and of its bare SQL.
//
//   build/native/eventuall_bench_rbac [checks-per-shape] [graphs]
//   (graphs: only the adversarial graphs' section)
//
// Then the adversarial role graphs of issue 14 (diamond, chain and fan-out at
// the write limits, against a flat 3-role graph): `can`, `effective_permissions`
// and `explain_permission` per call and divided by the flat graph's, with
// checks-per-shape / 10 calls per round (bench/js/rbac_graphs_bench.mjs is the
// same in workerd).
//
// Each figure is the median of 7 rounds over the same checks.
// A program, not a test: figures go to BENCHMARKS.md; nothing asserts time.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <random>
#include <string>

#include "bench_support.h"
#include "client.h"
#include "migrations.h"
#include "ops/rbac/permission_sql.h"

namespace {

using namespace eventuall;
using bench::must;
using Clock = std::chrono::steady_clock;

constexpr int kChainLength = 10;  // role j inherits role j-1 within chains of 10
constexpr int kPermissions = 100;
constexpr int kRounds = 7;

template <typename Run>
double microseconds_per_check(Run run, int checks) {
  const auto start = Clock::now();
  run();
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / checks;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Shape {
  int users;
  int roles;
};

std::string user_id(int i) {
  char buf[25];
  std::snprintf(buf, sizeof buf, "u%023d", i);
  return buf;
}

// Users, roles in inheritance chains, permissions, one event, one grant per user.
void populate(sqlite::SqliteDatabase& db, const Shape& shape) {
  const std::string n_users = std::to_string(shape.users);
  const std::string n_roles = std::to_string(shape.roles);
  const std::string script =
      "INSERT INTO accounts (id, name) VALUES ('benchaccount000000000000', 'Bench');"
      "INSERT INTO events (id, account_id, name) VALUES ('benchevent00000000000000', "
      "'benchaccount000000000000', 'Bench');"
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " +
      n_users +
      " - 1) INSERT INTO users (id, name, email) SELECT printf('u%023d', i), 'User', "
      "printf('u%d@bench.example', i) FROM n;"
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " +
      n_roles +
      " - 1) INSERT INTO roles (id, name) SELECT printf('r%023d', i), printf('role%d', i) FROM n;"
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " +
      std::to_string(kPermissions) +
      " - 1) INSERT INTO permissions (id, name) SELECT printf('p%023d', i), printf('bench.p%d', i) "
      "FROM n;"
      "INSERT INTO role_to_permissions (id, role_id, permission_id) SELECT printf('x%023d', "
      "rowid), id, printf('p%023d', (rowid - 1) % " +
      std::to_string(kPermissions) +
      ") FROM roles WHERE id LIKE 'r%';"
      "INSERT INTO roles_inheritances (id, role_id, parent_role_id) SELECT printf('h%023d', "
      "rowid), id, printf('r%023d', CAST(substr(id, 2) AS INTEGER) - 1) FROM roles WHERE id LIKE "
      "'r%' AND CAST(substr(id, 2) AS INTEGER) % " +
      std::to_string(kChainLength) +
      " <> 0;"
      "INSERT INTO access_grants (id, user_id, event_id, role_id) SELECT printf('g%023d', rowid), "
      "id, 'benchevent00000000000000', printf('r%023d', (rowid - 1) % " +
      n_roles + ") FROM users WHERE id LIKE 'u%';";
  Status s = db.exec_script(script);
  // Roles written behind the operations' back: role_reach is built as the
  // migration builds it for existing data.
  if (!s.ok()) {
    std::fprintf(stderr, "populate: %s\n", s.error().message().c_str());
    std::exit(1);
  }
  auto reach = db.run_batch(ops::rbac::refresh_reach(ops::rbac::ReachScope::kAllRoles, ""));
  if (!reach.ok()) {
    std::fprintf(stderr, "populate: %s\n", reach.error().message().c_str());
    std::exit(1);
  }
}

// --- Adversarial role graphs (issue 14) ----------------------------------------
// The shapes of bench/js/rbac_graphs.mjs, built through the owner's operations
// (so every write limit applies), each in an account, event and user of its
// own: layers from the bottom up, each role inheriting every role of the
// layer below, `stage.present` on the bottom layer's roles only.
//   flat 3 roles (2 + 1, depth 1); diamond 17 layers of 2 (depth 16, 2^16
//   paths); chain 17 of 1 (depth 16); fan-out 200 roles, 19 + 9 x 20 + 1
//   (20 parents, depth 10).
struct Graph {
  const char* name;
  std::vector<int> layers;
  std::string event, user;
  std::string bottom;  // a role of the bottom layer: every other role inherits it
  int roles = 0;
};

std::vector<Graph> adversarial_graphs() {
  using ops::rbac::kMaxInheritanceDepth;
  const int parents = static_cast<int>(ops::rbac::kMaxParentsPerRole);
  const int roles = static_cast<int>(ops::rbac::kMaxRolesPerAccount);
  std::vector<int> fan_out{roles - 1 - 9 * parents};
  for (int i = 0; i < 9; ++i) fan_out.push_back(parents);
  fan_out.push_back(1);
  return {{"flat", {2, 1}},
          {"diamond", std::vector<int>(kMaxInheritanceDepth + 1, 2)},
          {"chain", std::vector<int>(kMaxInheritanceDepth + 1, 1)},
          {"fan-out", fan_out}};
}

void build_graph(sqlite::Client& client, Graph& graph) {
  const std::string owner = "seedusereventuall0000001";
  const std::string name = graph.name;
  const std::string account =
      must(client, "create_account", {{"actorUserId", owner}, {"name", "graph " + name}})["account"]["id"];
  graph.event = must(client, "create_event",
                     {{"actorUserId", owner}, {"accountId", account}, {"name", "graph " + name}})["event"]["id"];
  std::vector<std::string> below;
  for (std::size_t layer = 0; layer < graph.layers.size(); ++layer) {
    std::vector<std::string> here;
    for (int i = 0; i < graph.layers[layer]; ++i) {
      Json permissions = layer == 0 ? Json::array({"stage.present"}) : Json::array();
      here.push_back(must(client, "define_role",
                          {{"actorUserId", owner},
                           {"accountId", account},
                           {"name", name + "_" + std::to_string(layer) + "_" + std::to_string(i)},
                           {"permissions", permissions},
                           {"inherits", below}})["role"]["id"]);
      ++graph.roles;
    }
    if (layer == 0) graph.bottom = here[0];
    below = here;
  }
  graph.user = must(client, "sign_up",
                    {{"email", "graph-" + name + "@bench.example"}, {"name", "graph " + name}})["user"]["id"];
  must(client, "grant_access",
       {{"actorUserId", owner}, {"userId", graph.user}, {"eventId", graph.event}, {"roleId", below[0]}});
}

// µs per call of each read on each graph, and the ratio to the flat graph.
void graphs_section(const std::string& root, int calls) {
  auto webapp = sqlite::SqliteDatabase::open(":memory:");
  auto workers = sqlite::SqliteDatabase::open(":memory:");
  if (!sqlite::apply_migrations(**webapp, root + "/migrations/webapp").ok() ||
      !sqlite::apply_migrations(**workers, root + "/migrations/workers").ok() ||
      !sqlite::apply_sql_file(**webapp, root + "/migrations/seeds/account_user.sql").ok()) {
    std::fprintf(stderr, "graphs: migrations failed\n");
    std::exit(1);
  }
  sqlite::Client client(**webapp, **workers);
  std::vector<Graph> graphs = adversarial_graphs();
  for (auto& graph : graphs) build_graph(client, graph);

  const std::vector<std::string> reads = {"can", "effective_permissions", "explain_permission"};
  auto input = [](const Graph& g, const std::string& read) {
    Json in = {{"userId", g.user}, {"eventId", g.event}};
    if (read != "effective_permissions") in["permission"] = "stage.present";
    return dump_json(in);
  };
  // us[graph][read]; the graphs alternate within each round.
  std::vector<std::vector<double>> us(graphs.size(), std::vector<double>(reads.size()));
  for (std::size_t r = 0; r < reads.size(); ++r) {
    std::vector<std::vector<double>> rounds(graphs.size());
    for (int round = 0; round < kRounds; ++round) {
      for (std::size_t g = 0; g < graphs.size(); ++g) {
        const std::string in = input(graphs[g], reads[r]);
        const std::clock_t start = std::clock();
        for (int i = 0; i < calls; ++i) {
          if (!client.call(reads[r], in).ok()) std::exit(1);
        }
        rounds[g].push_back(1e6 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC / calls);
      }
    }
    for (std::size_t g = 0; g < graphs.size(); ++g) us[g][r] = median(rounds[g]);
  }
  std::printf("\n| graph (native) | roles | depth |");
  for (const auto& read : reads) std::printf(" `%s` µs (x flat) |", read.c_str());
  std::printf("\n|---|---|---|---|---|---|\n");
  for (std::size_t g = 0; g < graphs.size(); ++g) {
    std::printf("| %s | %d | %zu |", graphs[g].name, graphs[g].roles, graphs[g].layers.size() - 1);
    for (std::size_t r = 0; r < reads.size(); ++r) {
      std::printf(" %.1f (%.2fx) |", us[g][r], us[g][r] / us[0][r]);
    }
    std::printf("\n");
  }
  std::printf(
      "\nCPU time of this process (std::clock, so other load on the machine does not count), "
      "median of %d rounds of %d calls per figure, through the operation path.\n",
      kRounds, calls);

  // The writes that rewrite the most role_reach rows: a permission added to
  // and removed from a bottom role, which every role of the graph inherits.
  std::printf("\n| graph (native) | `add_role_permission` + `remove_role_permission` on a bottom role, µs per pair (x flat) |\n|---|---|\n");
  const std::string owner = "seedusereventuall0000001";
  std::vector<double> pair_us(graphs.size());
  const int pairs = std::max(calls / 10, 5);
  for (std::size_t g = 0; g < graphs.size(); ++g) {
    std::vector<double> rounds;
    const Json edit = {{"actorUserId", owner}, {"roleId", graphs[g].bottom}, {"permission", "participants.view"}};
    for (int round = 0; round < kRounds; ++round) {
      const std::clock_t start = std::clock();
      for (int i = 0; i < pairs; ++i) {
        if (!client.call("add_role_permission", dump_json(edit)).ok() ||
            !client.call("remove_role_permission", dump_json(edit)).ok()) {
          std::exit(1);
        }
      }
      rounds.push_back(1e6 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC / pairs);
    }
    pair_us[g] = median(rounds);
    std::printf("| %s | %.1f (%.2fx) |\n", graphs[g].name, pair_us[g], pair_us[g] / pair_us[0]);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int checks = argc > 1 ? std::atoi(argv[1]) : 20000;
  const std::string root = EVENTUALL_SOURCE_DIR;
  if (argc > 2 && std::string(argv[2]) == "graphs") {
    graphs_section(root, std::max(checks / 10, 5));
    return 0;
  }
  std::printf("| users | roles | `can` through the operation (µs) | bare SQL (µs) | allowed |\n");
  std::printf("|---|---|---|---|---|\n");
  for (Shape shape : {Shape{1000, 100}, Shape{10000, 1000}, Shape{100000, 10000}}) {
    auto webapp = sqlite::SqliteDatabase::open(":memory:");
    auto workers = sqlite::SqliteDatabase::open(":memory:");
    if (!sqlite::apply_migrations(**webapp, root + "/migrations/webapp").ok()) return 1;
    populate(**webapp, shape);
    sqlite::Client client(**webapp, **workers);

    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pick_user(0, shape.users - 1);
    std::uniform_int_distribution<int> pick_permission(0, kPermissions - 1);
    std::vector<std::pair<std::string, std::string>> cases;
    for (int i = 0; i < checks; ++i) {
      cases.emplace_back(user_id(pick_user(rng)), "bench.p" + std::to_string(pick_permission(rng)));
    }

    int allowed = 0;
    auto through_operation = [&] {
      allowed = 0;
      for (const auto& [user, permission] : cases) {
        std::string input = "{\"userId\":\"" + user +
                            "\",\"eventId\":\"benchevent00000000000000\",\"permission\":\"" +
                            permission + "\"}";
        auto result = client.call("can", input);
        allowed += result.ok() && (*result)["allowed"] == true;
      }
    };
    int sql_allowed = 0;
    auto bare_sql = [&] {
      sql_allowed = 0;
      for (const auto& [user, permission] : cases) {
        auto c = ops::rbac::holds_permission(user, permission,
                                             ops::rbac::EventRef::value("benchevent00000000000000"),
                                             std::nullopt, 0);
        auto rows = (*webapp)->query("SELECT " + c.sql + " AS allowed", c.params);
        sql_allowed += rows.ok() && rows->rows[0][0].as_integer() == 1;
      }
    };
    // The two paths alternate, round after round, and each figure is its median
    // round: a burst of load from elsewhere on a shared machine moves a round,
    // not the figure.
    std::vector<double> op_rounds;
    std::vector<double> sql_rounds;
    for (int round = 0; round < kRounds; ++round) {
      op_rounds.push_back(microseconds_per_check(through_operation, checks));
      sql_rounds.push_back(microseconds_per_check(bare_sql, checks));
    }
    const double op_us = median(op_rounds);
    const double sql_us = median(sql_rounds);
    std::printf("| %d | %d | %.1f | %.1f | %d of %d (bare SQL agrees: %s) |\n", shape.users,
                shape.roles, op_us, sql_us, allowed, checks, allowed == sql_allowed ? "yes" : "NO");
  }
  graphs_section(root, std::max(checks / 10, 5));
  return 0;
}
