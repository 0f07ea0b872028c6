#include "wire.h"

#include <cmath>

#include "common/encoding.h"
#include "common/json.h"

namespace eventuall::d1 {

namespace {

Json encode_value(const sql::Value& v) {
  if (v.is_integer()) return v.as_integer();
  if (v.is_real()) return std::isfinite(v.as_real()) ? Json(v.as_real()) : Json(nullptr);
  if (v.is_text()) return v.as_text();
  if (v.is_blob()) {
    const auto& bytes = v.as_blob().bytes;
    return Json{{"$blob", base64_encode(std::string_view(
                              reinterpret_cast<const char*>(bytes.data()), bytes.size()))}};
  }
  return nullptr;
}

sql::Value decode_value(const Json& j) {
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    return sql::Value(static_cast<std::int64_t>(u > INT64_MAX ? INT64_MAX : u));
  }
  if (j.is_number_integer()) return sql::Value(j.get<std::int64_t>());
  if (j.is_number_float()) return sql::Value(j.get<double>());
  if (j.is_string()) return sql::Value(j.get<std::string>());
  if (j.is_boolean()) return sql::Value(j.get<bool>());
  if (j.is_array()) {  // D1 returns BLOB columns as arrays of byte values
    sql::Blob blob;
    for (const auto& b : j) blob.bytes.push_back(b.is_number() ? b.get<std::uint8_t>() : 0);
    return sql::Value(std::move(blob));
  }
  if (j.is_object()) {
    auto it = j.find("$blob");
    std::string bytes;
    if (it != j.end() && it->is_string() && base64_decode(it->get_ref<const std::string&>(), bytes)) {
      return sql::Value(sql::Blob{{bytes.begin(), bytes.end()}});
    }
  }
  return sql::Value();
}

}  // namespace

std::string encode_batch(const sql::Batch& batch) {
  Json statements = Json::array();
  for (const auto& s : batch.statements) {
    Json params = Json::array();
    for (const auto& p : s.params) params.push_back(encode_value(p));
    statements.push_back(Json{{"sql", s.sql}, {"params", std::move(params)}});
  }
  return dump_json(
      Json{{"db", std::string(sql::database_name(batch.database))}, {"statements", statements}});
}

Result<sql::BatchResult> decode_batch_result(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed.ok() || !parsed->is_object()) return Error::db_error("malformed batch result");
  const Json& root = *parsed;
  auto ok = root.find("ok");
  if (ok == root.end() || !ok->is_boolean()) return Error::db_error("malformed batch result");
  if (!ok->get<bool>()) {
    auto error = root.find("error");
    return Error::db_error(error != root.end() && error->is_string() ? error->get<std::string>()
                                                                      : "batch failed");
  }
  auto results = root.find("results");
  if (results == root.end() || !results->is_array()) {
    return Error::db_error("malformed batch result");
  }
  sql::BatchResult out;
  for (const auto& r : *results) {
    if (!r.is_object()) return Error::db_error("malformed batch result");
    sql::ResultSet set;
    if (auto columns = r.find("columns"); columns != r.end() && columns->is_array()) {
      for (const auto& c : *columns) set.columns.push_back(c.is_string() ? c.get<std::string>() : "");
    }
    if (auto rows = r.find("rows"); rows != r.end() && rows->is_array()) {
      for (const auto& row : *rows) {
        if (!row.is_array()) return Error::db_error("malformed batch result");
        std::vector<sql::Value> values;
        values.reserve(row.size());
        for (const auto& v : row) values.push_back(decode_value(v));
        set.rows.push_back(std::move(values));
      }
    }
    if (auto changes = r.find("changes"); changes != r.end() && changes->is_number()) {
      set.changes = changes->is_number_integer() ? changes->get<std::int64_t>()
                                                 : static_cast<std::int64_t>(changes->get<double>());
    }
    out.push_back(std::move(set));
  }
  return out;
}

}  // namespace eventuall::d1
