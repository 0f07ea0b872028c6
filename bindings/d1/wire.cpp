#include "wire.h"

#include <cmath>
#include <cstring>

#include "common/encoding.h"
#include "common/json.h"

namespace eventuall::d1 {

namespace {

void append_param(std::string& out, const sql::Value& v) {
  if (v.is_integer()) {
    out += std::to_string(v.as_integer());
  } else if (v.is_real()) {
    append_json(out, std::isfinite(v.as_real()) ? Json(v.as_real()) : Json(nullptr));
  } else if (v.is_text()) {
    append_json_string(out, v.as_text());
  } else if (v.is_blob()) {
    const auto& bytes = v.as_blob().bytes;
    out += "{\"$blob\":\"";
    out +=
        base64_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    out += "\"}";
  } else {
    out += "null";
  }
}

// Saturating, as a double may lie outside int64 (and casting it would be UB).
std::int64_t to_integer(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return INT64_MAX;
  if (d <= -9223372036854775808.0) return INT64_MIN;
  return static_cast<std::int64_t>(d);
}

// Reads the result buffer front to back; every read checks the bytes left, so
// a short or garbled buffer ends in failed(), never past the end.
class Reader {
 public:
  Reader(const std::uint8_t* bytes, std::size_t size) : at_(bytes), end_(bytes + size) {}

  bool failed() const { return failed_; }

  std::uint8_t u8() {
    if (!has(1)) return 0;
    return *at_++;
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    if (!has(4)) return 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | at_[i];
    at_ += 4;
    return v;
  }
  double f64() {
    std::uint64_t bits = 0;
    if (!has(8)) return 0;
    for (int i = 7; i >= 0; --i) bits = (bits << 8) | at_[i];
    at_ += 8;
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  std::string_view bytes() {
    const std::uint32_t length = u32();
    if (!has(length)) return {};
    std::string_view out(reinterpret_cast<const char*>(at_), length);
    at_ += length;
    return out;
  }
  // A count of items each at least min_bytes long: larger than the buffer
  // could hold is malformed (and must not size a reservation).
  std::uint32_t count(std::size_t min_bytes) {
    const std::uint32_t n = u32();
    if (!failed_ && n > static_cast<std::size_t>(end_ - at_) / min_bytes) failed_ = true;
    return failed_ ? 0 : n;
  }

  sql::Value value() {
    switch (static_cast<WireTag>(u8())) {
      case WireTag::kNull:
        return sql::Value();
      case WireTag::kInteger:
        return sql::Value(to_integer(f64()));
      case WireTag::kReal:
        return sql::Value(f64());
      case WireTag::kText:
        return sql::Value(bytes());
      case WireTag::kBlob: {
        const auto b = bytes();
        return sql::Value(sql::Blob{{b.begin(), b.end()}});
      }
    }
    failed_ = true;
    return sql::Value();
  }

 private:
  bool has(std::size_t n) {
    if (failed_ || static_cast<std::size_t>(end_ - at_) < n) failed_ = true;
    return !failed_;
  }
  const std::uint8_t* at_;
  const std::uint8_t* end_;
  bool failed_ = false;
};

}  // namespace

SqlIds::Id SqlIds::id(const std::string& sql) {
  if (auto it = ids_.find(sql); it != ids_.end()) return {it->second, true};
  if (ids_.size() >= kMaxTexts || bytes_ + sql.size() > kMaxBytes) return {0, false};
  bytes_ += sql.size();
  const auto id = static_cast<std::uint32_t>(ids_.size() + 1);
  ids_.emplace(sql, id);
  return {id, false};
}

std::string encode_batch(const sql::Batch& batch, SqlIds* ids) {
  std::string out = "{\"db\":";
  append_json_string(out, sql::database_name(batch.database));
  out += ",\"statements\":[";
  for (std::size_t i = 0; i < batch.statements.size(); ++i) {
    const auto& statement = batch.statements[i];
    const SqlIds::Id sql_id = ids ? ids->id(statement.sql) : SqlIds::Id{0, false};
    if (i) out += ',';
    if (sql_id.id) {
      out += "{\"id\":";
      out += std::to_string(sql_id.id);
      out += ",\"params\":[";
    } else {
      out += "{\"params\":[";
    }
    for (std::size_t p = 0; p < statement.params.size(); ++p) {
      if (p) out += ',';
      append_param(out, statement.params[p]);
    }
    out += ']';
    if (!sql_id.known) {
      out += ",\"sql\":";
      append_json_string(out, statement.sql);
    }
    out += '}';
  }
  out += "]}";
  return out;
}

Result<sql::BatchResult> decode_batch_result(const std::uint8_t* bytes, std::size_t size) {
  const auto malformed = [] { return Error::db_error("malformed batch result"); };
  Reader in(bytes, size);
  const std::uint8_t status = in.u8();
  if (in.failed() || status > 1) return malformed();
  if (status == 0) {
    const auto message = in.bytes();
    if (in.failed()) return malformed();
    return Error::db_error(message.empty() ? "batch failed" : std::string(message));
  }
  sql::BatchResult out;
  out.resize(in.count(/*min_bytes=*/16));  // changes, column and row counts
  for (auto& set : out) {
    set.changes = to_integer(in.f64());
    set.columns.resize(in.count(/*min_bytes=*/4));
    for (auto& column : set.columns) column = std::string(in.bytes());
    const std::uint32_t rows = in.count(/*min_bytes=*/1);
    const std::size_t width = set.columns.size();
    if (width == 0 && rows > 0) return malformed();
    set.rows.reserve(rows);
    for (std::uint32_t r = 0; r < rows && !in.failed(); ++r) {
      auto& row = set.rows.emplace_back();
      row.reserve(width);
      for (std::size_t c = 0; c < width; ++c) row.push_back(in.value());
    }
  }
  if (in.failed()) return malformed();
  return out;
}

}  // namespace eventuall::d1
