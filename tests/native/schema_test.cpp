// The schema declared in C++ and the migrations must agree, and the schema
// must follow the conventions of DESIGN.md.
#include "schema/schema.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "migrate/structure.h"
#include "schema/ddl.h"
#include "schema/row_json.h"
#include "test_support.h"

namespace eventuall {
namespace {

using MasterRow = std::tuple<std::string, std::string, std::string, std::string>;

std::set<MasterRow> sqlite_master(sqlite::SqliteDatabase& db) {
  auto rows = db.query(
      "SELECT type AS type, name AS name, tbl_name AS tbl_name, coalesce(sql, '') AS sql "
      "FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'd1_migrations'");
  REQUIRE(rows.ok());
  std::set<MasterRow> out;
  for (const auto& r : rows->rows) {
    out.emplace(r[0].as_text(), r[1].as_text(), r[2].as_text(), r[3].as_text());
  }
  return out;
}

// Compared structurally (pragmas, normalized CHECK/index/view SQL), as
// `eventuall check` does: an ADD COLUMN migration rewrites sqlite_master text
// while building the same database.
void check_schema_matches_migrations(const schema::Schema& schema, const std::string& dir) {
  auto from_migrations = testing::open_memory();
  auto applied = sqlite::apply_migrations(*from_migrations, testing::source_path(dir));
  REQUIRE(applied.ok());
  auto from_code = testing::open_memory();
  REQUIRE(from_code->exec_script(schema::schema_ddl(schema)).ok());

  auto expected = migrate::read_structure(*from_code);
  auto actual = migrate::read_structure(*from_migrations);
  REQUIRE(expected.ok());
  REQUIRE(actual.ok());
  CHECK(expected->size() > 20);  // a structure was read at all
  for (const auto& difference :
       migrate::compare_structures(*expected, "C++ schema", *actual, "migrations")) {
    FAIL_CHECK(difference);
  }
  // Names of every table, index and view agree too.
  const auto names = [](const std::set<MasterRow>& rows) {
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& r : rows) out.emplace(std::get<0>(r), std::get<1>(r));
    return out;
  };
  CHECK(names(sqlite_master(*from_code)) == names(sqlite_master(*from_migrations)));
}

TEST_CASE("webapp migrations create exactly the C++ schema") {
  check_schema_matches_migrations(schema::webapp_schema(), "migrations/webapp");
}

TEST_CASE("workers migrations create exactly the C++ schema") {
  check_schema_matches_migrations(schema::workers_schema(), "migrations/workers");
}

TEST_CASE("every table the original system has is declared") {
  for (const char* name : {"users",
                           "user_providers",
                           "sessions",
                           "mcp_login_tokens",
                           "mcp_api_keys",
                           "accounts",
                           "account_ownership",
                           "events",
                           "rooms",
                           "tickets",
                           "permissions",
                           "roles",
                           "role_to_permissions",
                           "roles_inheritances",
                           "access_grants",
                           "pending_profiles",
                           "invitations",
                           "orders",
                           "order_line_items",
                           "external_sku_mappings",
                           "room_access_tickets"}) {
    INFO(name);
    CHECK(schema::webapp_schema().find_table(name) != nullptr);
  }
  for (const char* name :
       {"cloudcaster_sessions", "cloudcaster_logs", "stage_events", "participant_clips"}) {
    INFO(name);
    CHECK(schema::workers_schema().find_table(name) != nullptr);
  }
}

TEST_CASE("schema follows the conventions") {
  for (const auto* schema : {&schema::webapp_schema(), &schema::workers_schema()}) {
    for (const auto& table : schema->tables()) {
      INFO(table.name());
      const auto* id = table.column("id");
      REQUIRE(id != nullptr);
      CHECK(id->primary_key);
      CHECK(id->type == schema::ColumnType::kText);
      for (const auto& column : table.columns()) {
        INFO(column.name);
        if (column.name.size() > 3 && column.name.substr(column.name.size() - 3) == "_at") {
          CHECK(column.type == schema::ColumnType::kInteger);
        }
        if (column.references) {
          // Referenced tables exist in the same database and are declared first.
          const auto* parent = schema->find_table(column.references->table);
          REQUIRE(parent != nullptr);
          CHECK(parent <= &table);
        }
      }
      for (const auto& index : table.indexes()) {
        CHECK(index.name.rfind(table.name() + "_", 0) == 0);
        CHECK(index.name.substr(index.name.size() - 4) == "_idx");
      }
    }
  }
}

TEST_CASE("a table's readable columns have distinct JSON keys, listed in key order") {
  // row_json writes each key once, in readable_by_key()'s order.
  for (const auto* schema : {&schema::webapp_schema(), &schema::workers_schema()}) {
    for (const auto& table : schema->tables()) {
      INFO(table.name());
      std::set<std::string> keys;
      std::size_t readable = 0;
      for (const auto& column : table.columns()) {
        if (column.secret) continue;
        ++readable;
        keys.insert(column.json_key);
      }
      CHECK(keys.size() == readable);
      const auto& by_key = table.readable_by_key();
      REQUIRE(by_key.size() == readable);
      for (std::size_t i = 1; i < by_key.size(); ++i) {
        CHECK(table.columns()[by_key[i - 1].column].json_key <
              table.columns()[by_key[i].column].json_key);
      }
    }
  }
}

TEST_CASE("row_json reads each column by name, wherever the result put it") {
  const auto& users = schema::webapp_schema().table("users");
  for (const bool reversed : {false, true}) {
    INFO(reversed);
    sql::ResultSet set;
    std::vector<sql::Value> row;
    Json expected = Json::object();
    std::int64_t n = 0;
    for (const auto& column : users.columns()) {
      if (column.secret) continue;
      set.columns.push_back(column.name);
      const sql::Value value = column.type == schema::ColumnType::kInteger
                                   ? sql::Value(++n)
                                   : sql::Value(column.name + "-value");
      row.push_back(value);
      expected[column.json_key] = schema::value_json(value);
    }
    if (reversed) {
      std::reverse(set.columns.begin(), set.columns.end());
      std::reverse(row.begin(), row.end());
    }
    set.rows.push_back(row);
    CHECK(schema::row_json(users, sql::Row(set, 0)).dump() == expected.dump());
  }
}

TEST_CASE("foreign keys declare ON DELETE and the database enforces them") {
  testing::TestDatabases db;
  auto fks = db.webapp->query(
      "SELECT m.name AS tbl, f.\"table\" AS parent, f.on_delete AS on_delete "
      "FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'");
  REQUIRE(fks.ok());
  CHECK(fks->size() > 20);
  for (const auto& row : fks->rows) {
    INFO(row[0].as_text() << " -> " << row[1].as_text());
    CHECK(row[2].as_text() != "NO ACTION");
  }
  auto orphan = db.webapp->run_batch(
      {{"INSERT INTO rooms (id, event_id, name) VALUES ('roomaaaaaaaaaaaaaaaaaaaa', "
        "'nosucheventaaaaaaaaaaaaa', 'x')",
        {}}});
  CHECK_FALSE(orphan.ok());
}

TEST_CASE("event_participants_view lists users with grants and pending invitations") {
  testing::TestDatabases db;
  const std::string setup = R"sql(
    INSERT INTO events (id, account_id, name) VALUES ('eventaaaaaaaaaaaaaaaaaaa', 'seedaccounteventuall0001', 'E');
    INSERT INTO rooms (id, event_id, name) VALUES ('roomaaaaaaaaaaaaaaaaaaaa', 'eventaaaaaaaaaaaaaaaaaaa', 'Stage');
    INSERT INTO roles (id, name) VALUES ('roleaaaaaaaaaaaaaaaaaaaa', 'panelist');
    INSERT INTO access_grants (id, user_id, event_id, room_id, role_id) VALUES
      ('grantaaaaaaaaaaaaaaaaaaa', 'seedusermomentus00000001', 'eventaaaaaaaaaaaaaaaaaaa', 'roomaaaaaaaaaaaaaaaaaaaa', 'roleaaaaaaaaaaaaaaaaaaaa');
    INSERT INTO pending_profiles (id, event_id, email) VALUES ('pendingaaaaaaaaaaaaaaaaa', 'eventaaaaaaaaaaaaaaaaaaa', 'guest@example.com');
    INSERT INTO invitations (id, pending_profile_id, event_id, role_id) VALUES
      ('inviteaaaaaaaaaaaaaaaaaa', 'pendingaaaaaaaaaaaaaaaaa', 'eventaaaaaaaaaaaaaaaaaaa', 'roleaaaaaaaaaaaaaaaaaaaa');
  )sql";
  REQUIRE(db.webapp->exec_script(setup).ok());
  auto rows = db.webapp->query(
      "SELECT participant_kind AS kind, email AS email, role_name AS role, room_name AS room "
      "FROM event_participants_view WHERE event_id = 'eventaaaaaaaaaaaaaaaaaaa' ORDER BY kind "
      "DESC");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  CHECK(rows->rows[0][0].as_text() == "user");
  CHECK(rows->rows[0][1].as_text() == "admin@momentus.example");
  CHECK(rows->rows[0][2].as_text() == "panelist");
  CHECK(rows->rows[0][3].as_text() == "Stage");
  CHECK(rows->rows[1][0].as_text() == "pending");
  CHECK(rows->rows[1][1].as_text() == "guest@example.com");
  CHECK(rows->rows[1][3].is_null());
}

TEST_CASE("deleting an account cascades to its events, rooms and grants") {
  testing::TestDatabases db;
  db.ok("create_event", {{"actorUserId", "seedusermomentus00000001"},
                         {"accountId", "seedaccountmomentus00001"},
                         {"name", "E"},
                         {"rooms", Json::array({{{"name", "R"}}})}});
  REQUIRE(
      db.webapp->run_batch({{"DELETE FROM accounts WHERE id = ?", {"seedaccountmomentus00001"}}})
          .ok());
  CHECK(db.webapp_count("events") == 0);
  CHECK(db.webapp_count("rooms") == 0);
  CHECK(db.webapp_count("users") == 3);
}

}  // namespace
}  // namespace eventuall
