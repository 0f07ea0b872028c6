// RBAC at scale: Casbin's published RBAC shapes (users/roles 1k/100, 10k/1k,
// 100k/10k) with inheritance chains, on a native SQLite database migrated like
// production. Reports the latency of one `can` check through the whole
// operation path (JSON in, one batch, JSON out) and of its bare SQL.
//
//   build/native/eventuall_bench_rbac [checks-per-shape]
//
// Each figure is the median of 7 rounds over the same checks.
// A program, not a test: figures go to BENCHMARKS.md; nothing asserts time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "client.h"
#include "migrations.h"
#include "ops/rbac/permission_sql.h"

namespace {

using namespace eventuall;
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
  if (!s.ok()) {
    std::fprintf(stderr, "populate: %s\n", s.error().message().c_str());
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int checks = argc > 1 ? std::atoi(argv[1]) : 20000;
  const std::string root = EVENTUALL_SOURCE_DIR;
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
  return 0;
}
