#pragma once
// Fresh, migrated and seeded in-memory databases with a native client, for
// the doctest suites.

#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>

#include "id/cuid2.h"
#include "schema/queries.h"
#include "sqlite/client.h"
#include "sqlite/database_dump.h"
#include "sqlite/migrations.h"

namespace eventuall::testing {

// The seeded rows of migrations/seeds/account_user.sql the suites act as.
inline const std::string kEventuallAccount = "seedaccounteventuall0001";
inline const std::string kEventuallAdmin = "seedusereventuall0000001";
inline const std::string kMomentusAdmin = "seedusermomentus00000001";
inline const std::string kBlaiseAdmin = "seedusersgblaise00000001";

inline std::string source_path(const std::string& relative) {
  return std::string(EVENTUALL_SOURCE_DIR) + "/" + relative;
}

inline std::unique_ptr<sqlite::SqliteDatabase> open_memory() {
  auto db = sqlite::SqliteDatabase::open(":memory:");
  REQUIRE(db.ok());
  return std::move(db).value();
}

struct TestDatabases {
  std::unique_ptr<sqlite::SqliteDatabase> webapp = open_memory();
  std::unique_ptr<sqlite::SqliteDatabase> workers = open_memory();
  sqlite::Client client{*webapp, *workers};

  explicit TestDatabases(bool seed = true) {
    REQUIRE(sqlite::apply_migrations(*webapp, source_path("migrations/webapp")).ok());
    REQUIRE(sqlite::apply_migrations(*workers, source_path("migrations/workers")).ok());
    if (seed) {
      REQUIRE(
          sqlite::apply_sql_file(*webapp, source_path("migrations/seeds/account_user.sql")).ok());
    }
  }

  Result<Json> call(const std::string& op, const Json& input) {
    return client.call(op, dump_json(input));
  }
  // The value of a call that must succeed.
  Json ok(const std::string& op, const Json& input) {
    auto result = call(op, input);
    if (!result.ok()) FAIL(op << " failed: " << result.error().message());
    return result.ok() ? std::move(result).value() : Json();
  }
  // The error code name of a call that must fail.
  std::string error_code(const std::string& op, const Json& input) {
    auto result = call(op, input);
    if (result.ok()) FAIL(op << " unexpectedly succeeded: " << dump_json(result.value()));
    return result.ok() ? std::string() : std::string(result.error().code_name());
  }

  std::int64_t count(sqlite::SqliteDatabase& db, const std::string& table) {
    auto rows = db.query("SELECT count(*) AS n FROM " + table);
    REQUIRE(rows.ok());
    return rows->rows[0][0].as_integer();
  }
  std::int64_t webapp_count(const std::string& table) { return count(*webapp, table); }

  // Every row of every table, as text: equal dumps mean an unchanged database.
  std::string dump(sqlite::SqliteDatabase& db) {
    auto text = sqlite::dump_database(db);
    REQUIRE(text.ok());
    return std::move(text).value();
  }
};

}  // namespace eventuall::testing
