// What a batch and its results cross the wasm boundary as, and the JSON text writer.
#include "d1/wire.h"

#include <cstring>

#include "sql/db_error.h"
#include "test_support.h"

namespace eventuall {
namespace {

TEST_CASE("a batch encodes every value type") {
  sql::Batch batch{sql::Database::kWorkers,
                   {{"SELECT ?, ?, ?, ?, ?",
                     {nullptr, std::int64_t{-7}, 2.5, "tëxt\"", sql::Blob{{1, 2, 255}}}}}};
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

TEST_CASE("with SqlIds a statement's SQL text travels once, then its id alone; a full table numbers nothing") {
  d1::SqlIds ids;
  sql::Batch batch{sql::Database::kWebapp, {{"SELECT ?", {std::int64_t{1}}}, {"SELECT 2", {}}}};
  auto first = parse_json(d1::encode_batch(batch, &ids));
  REQUIRE(first.ok());
  const Json& sent = (*first)["statements"];
  CHECK(sent[0]["id"] == 1);
  CHECK(sent[0]["sql"] == "SELECT ?");
  CHECK(sent[1]["id"] == 2);
  auto second = parse_json(d1::encode_batch(batch, &ids));
  REQUIRE(second.ok());
  const Json& again = (*second)["statements"];
  CHECK(again[0]["id"] == 1);
  CHECK_FALSE(again[0].contains("sql"));
  CHECK(again[0]["params"][0] == 1);
  CHECK_FALSE(again[1].contains("sql"));

  // Past the cap on texts (4,096) or bytes (1 MiB), new texts get no number
  // and always carry their SQL; numbered ones keep theirs.
  for (int i = 0; i < 5000; ++i) (void)ids.id("SELECT " + std::to_string(i + 10));
  const std::string late = "SELECT 'late'";
  for (int round = 0; round < 2; ++round) {
    const auto id = ids.id(late);
    CHECK(id.id == 0);
    CHECK_FALSE(id.known);
  }
  CHECK(ids.id("SELECT ?").id == 1);
  CHECK(ids.id("SELECT ?").known);
  d1::SqlIds by_bytes;
  const std::string big(600 * 1024, 'x');
  CHECK(by_bytes.id(big).id == 1);
  CHECK(by_bytes.id(big + "y").id == 0);  // 1.2 MiB in all would pass the cap
}

// Result bytes as js-shim/eventuall.mjs writes them (wire.h).
class ResultBytes {
 public:
  ResultBytes& u8(std::uint8_t v) {
    bytes_.push_back(v);
    return *this;
  }
  ResultBytes& u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  ResultBytes& f64(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
    return *this;
  }
  ResultBytes& text(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
  }
  ResultBytes& tag(d1::WireTag t) { return u8(static_cast<std::uint8_t>(t)); }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  Result<sql::BatchResult> decode() const {
    return d1::decode_batch_result(bytes_.data(), bytes_.size());
  }

 private:
  std::vector<std::uint8_t> bytes_;
};

ResultBytes two_rows_of_every_type() {
  using d1::WireTag;
  ResultBytes b;
  b.u8(1).u32(2);
  b.f64(2).u32(4).text("a").text("b").text("c").text("d").u32(2);
  b.tag(WireTag::kInteger).f64(1).tag(WireTag::kReal).f64(1.5).tag(WireTag::kText).text("tëxt");
  b.tag(WireTag::kBlob).text(std::string_view("\x01\x02\xff", 3));
  b.tag(WireTag::kNull).tag(WireTag::kInteger).f64(-1e300).tag(WireTag::kInteger).f64(-7);
  b.tag(WireTag::kText).text("");
  b.f64(0).u32(0).u32(0);  // a write: no columns, no rows
  return b;
}

TEST_CASE("batch results decode rows of every type, and errors") {
  auto ok = two_rows_of_every_type().decode();
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 2);
  const auto& set = (*ok)[0];
  CHECK(set.changes == 2);
  CHECK(set.columns == std::vector<std::string>{"a", "b", "c", "d"});
  REQUIRE(set.rows.size() == 2);
  CHECK(set.rows[0][0] == sql::Value(std::int64_t{1}));
  CHECK(set.rows[0][1] == sql::Value(1.5));
  CHECK(set.rows[0][2] == sql::Value("tëxt"));
  CHECK(set.rows[0][3].as_blob().bytes == std::vector<std::uint8_t>{1, 2, 255});
  CHECK(set.rows[1][0].is_null());
  CHECK(set.rows[1][1] == sql::Value(INT64_MIN));  // saturates, never UB
  CHECK(set.rows[1][2] == sql::Value(std::int64_t{-7}));
  CHECK(set.rows[1][3] == sql::Value(""));
  CHECK((*ok)[1].rows.empty());

  ResultBytes failed;
  failed.u8(0).text("D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT");
  auto error = failed.decode();
  REQUIRE_FALSE(error.ok());
  CHECK(sql::classify_db_error(error.error().message()).code() == ErrorCode::kConflict);
}

TEST_CASE("malformed batch results are errors, not crashes") {
  // Every truncation of a valid buffer, and every single-byte corruption of
  // its structure, is refused or decodes within bounds.
  const auto whole = two_rows_of_every_type().bytes();
  for (std::size_t size = 0; size < whole.size(); ++size) {
    INFO("truncated to " << size);
    CHECK_FALSE(d1::decode_batch_result(whole.data(), size).ok());
  }
  for (std::size_t at = 0; at < whole.size(); ++at) {
    auto corrupt = whole;
    corrupt[at] ^= 0xA5;
    (void)d1::decode_batch_result(corrupt.data(), corrupt.size());  // must not trap (ASan run)
  }
  ResultBytes huge_counts;
  huge_counts.u8(1).u32(0xFFFFFFFF);
  CHECK_FALSE(huge_counts.decode().ok());
  ResultBytes rows_without_columns;
  rows_without_columns.u8(1).u32(1).f64(0).u32(0).u32(3).u8(0).u8(0).u8(0);
  CHECK_FALSE(rows_without_columns.decode().ok());
  ResultBytes unknown_tag;
  unknown_tag.u8(1).u32(1).f64(0).u32(1).text("a").u32(1).u8(9);
  CHECK_FALSE(unknown_tag.decode().ok());
  CHECK_FALSE(ResultBytes().u8(7).decode().ok());
  CHECK_FALSE(d1::decode_batch_result(nullptr, 0).ok());
}

TEST_CASE("JSON text is nlohmann's, byte for byte") {
  // dump_json writes the fast way; nlohmann's serializer is the reference.
  const auto reference = [](const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
  };
  const Json values =
      Json::parse(R"({"a":[1,-2,18446744073709551615,-9223372036854775808,2.5,1e300,0.1,true,null,
      "plain","quote\" back\\ slash/","\u0001\u001f\u007f\b\f\n\r\t","tëxt ✓ 😀",{},[],{"z":{"y":[]}}]})");
  CHECK(dump_json(values) == reference(values));
  for (const std::string bad :
       {std::string("\xff"), std::string("a\xc3"), std::string("\xed\xa0\x80"),
        std::string("\xc0\xaf"), std::string("ok\xf4\x90\x80\x80!"), std::string("\xe2\x82"),
        std::string("x\xe2\x28\xa1y")}) {
    const Json j = {{"k", bad}, {bad, 1}};
    CHECK(dump_json(j) == reference(j));
  }
}

TEST_CASE("database errors map to stable codes on both paths") {
  using sql::classify_db_error;
  CHECK(classify_db_error("UNIQUE constraint failed: users.email").code() == ErrorCode::kConflict);
  CHECK(classify_db_error("D1_ERROR: FOREIGN KEY constraint failed: SQLITE_CONSTRAINT").code() ==
        ErrorCode::kConflict);
  CHECK(classify_db_error("CHECK constraint failed: price >= 0").code() ==
        ErrorCode::kInvalidInput);
  CHECK(classify_db_error("no such table: x").code() == ErrorCode::kDbError);
}

}  // namespace
}  // namespace eventuall
