// Bulk writes stay within D1's per-statement limits.
#include "schema/queries.h"
#include "sql/chunking.h"
#include "test_support.h"

namespace eventuall {
namespace {

TEST_CASE("chunk_row_counts respects the parameter limit") {
  sql::ChunkShape shape{.params_per_row = 8, .fixed_params = 1};
  auto chunks = sql::chunk_row_counts(100, shape);
  REQUIRE(chunks.size() == 9);
  for (std::size_t i = 0; i + 1 < chunks.size(); ++i) CHECK(chunks[i] == 12);
  CHECK(chunks.back() == 4);
  CHECK(sql::chunk_row_counts(0, shape).empty());
  CHECK(sql::chunk_row_counts(5, {.params_per_row = 101}).empty());
  CHECK(sql::chunk_row_counts(100, {.params_per_row = 100}).size() == 100);
  CHECK(sql::chunk_row_counts(3, {.params_per_row = 1}) == std::vector<std::size_t>{3});
}

TEST_CASE("chunk_row_counts respects the SQL size limit") {
  sql::ChunkShape shape{.params_per_row = 0, .fixed_sql_bytes = 1000, .sql_bytes_per_row = 990};
  auto chunks = sql::chunk_row_counts(250, shape);
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0] == 100);
  CHECK(chunks[2] == 50);
}

TEST_CASE("insert_rows statements never exceed 100 parameters or 100,000 bytes") {
  const auto& logs = schema::workers_schema().table("cloudcaster_logs");
  const std::vector<std::string> columns = {"id", "level", "layer", "message", "logged_at"};
  std::vector<std::vector<sql::Value>> rows;
  for (int i = 0; i < 1000; ++i) {
    char id[25];
    std::snprintf(id, sizeof id, "log%021d", i);
    rows.push_back({std::string(id), "info", "service", "line " + std::to_string(i), std::int64_t{i}});
  }
  auto statements = schema::insert_rows(logs, columns, rows, std::nullopt, false);
  CHECK(statements.size() == 50);
  std::size_t total = 0;
  for (const auto& s : statements) {
    CHECK(s.params.size() <= sql::kMaxParamsPerStatement);
    CHECK(s.sql.size() <= sql::kMaxStatementBytes);
    total += s.params.size();
  }
  CHECK(total == 5000);

  testing::TestDatabases db;
  REQUIRE(db.workers->run_batch(statements).ok());
  CHECK(db.count(*db.workers, "cloudcaster_logs") == 1000);
}

TEST_CASE("a batch whose last statement fails leaves the database unchanged") {
  testing::TestDatabases db;
  const std::string before = db.dump(*db.webapp);
  auto result = db.webapp->run_batch({
      {"INSERT INTO accounts (id, name) VALUES (?, ?)", {"accountaaaaaaaaaaaaaaaaa", "A"}},
      {"INSERT INTO accounts (id, name) VALUES (?, ?)", {"accountbaaaaaaaaaaaaaaaa", "B"}},
      {"INSERT INTO accounts (id, name) VALUES (?, ?)", {"accountaaaaaaaaaaaaaaaaa", "dup"}},
  });
  CHECK_FALSE(result.ok());
  CHECK(db.dump(*db.webapp) == before);
  CHECK_FALSE(db.webapp->run_batch({}).ok());
}

}  // namespace
}  // namespace eventuall
