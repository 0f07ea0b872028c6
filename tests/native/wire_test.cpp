// The text a batch and its results cross the wasm boundary as.
#include "d1/wire.h"
#include "sql/db_error.h"
#include "test_support.h"

namespace eventuall {
namespace {

TEST_CASE("a batch encodes every value type") {
  sql::Batch batch{sql::Database::kWorkers,
                   {{"SELECT ?, ?, ?, ?, ?", {nullptr, std::int64_t{-7}, 2.5, "tëxt\"", sql::Blob{{1, 2, 255}}}}}};
  auto parsed = parse_json(d1::encode_batch(batch));
  REQUIRE(parsed.ok());
  CHECK((*parsed)["db"] == "workers");
  const Json& params = (*parsed)["statements"][0]["params"];
  CHECK(params[0].is_null());
  CHECK(params[1] == -7);
  CHECK(params[2] == 2.5);
  CHECK(params[3] == "tëxt\"");
  CHECK(params[4]["$blob"] == "AQL/");
}

TEST_CASE("batch results decode rows, blobs and errors") {
  auto ok = d1::decode_batch_result(
      R"({"ok":true,"results":[{"columns":["a","b","c","d"],"rows":[[1,1.5,"x",[1,2]],[null,{"$blob":"AQL/"},true,9007199254740993]],"changes":2}]})");
  REQUIRE(ok.ok());
  const auto& set = (*ok)[0];
  CHECK(set.changes == 2);
  CHECK(set.rows[0][0] == sql::Value(std::int64_t{1}));
  CHECK(set.rows[0][1] == sql::Value(1.5));
  CHECK(set.rows[0][3].as_blob().bytes == std::vector<std::uint8_t>{1, 2});
  CHECK(set.rows[1][1].as_blob().bytes == std::vector<std::uint8_t>{1, 2, 255});
  CHECK(set.rows[1][2] == sql::Value(std::int64_t{1}));

  auto failed = d1::decode_batch_result(R"({"ok":false,"error":"D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT"})");
  REQUIRE_FALSE(failed.ok());
  CHECK(sql::classify_db_error(failed.error().message()).code() == ErrorCode::kConflict);
}

TEST_CASE("malformed batch results are errors, not crashes") {
  for (const char* text : {"", "{", "[]", "{\"ok\":1}", "{\"ok\":true}", "{\"ok\":true,\"results\":[1]}",
                           "{\"ok\":true,\"results\":[{\"rows\":[5]}]}", "\xff\xfe"}) {
    INFO(text);
    CHECK_FALSE(d1::decode_batch_result(text).ok());
  }
}

TEST_CASE("database errors map to stable codes on both paths") {
  using sql::classify_db_error;
  CHECK(classify_db_error("UNIQUE constraint failed: users.email").code() == ErrorCode::kConflict);
  CHECK(classify_db_error("D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT").code() ==
        ErrorCode::kConflict);
  CHECK(classify_db_error("CHECK constraint failed: price >= 0").code() == ErrorCode::kInvalidInput);
  CHECK(classify_db_error("no such table: x").code() == ErrorCode::kDbError);
}

}  // namespace
}  // namespace eventuall
