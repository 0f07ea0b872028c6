#include "schema/row_json.h"

#include "common/encoding.h"

namespace eventuall::schema {

Json value_json(const sql::Value& value) {
  if (value.is_integer()) return value.as_integer();
  if (value.is_real()) return value.as_real();
  if (value.is_text()) return value.as_text();
  if (value.is_blob()) {
    const auto& bytes = value.as_blob().bytes;
    return base64_encode(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  return nullptr;
}

Json row_json(const Table& table, const sql::Row& row) {
  Json out = Json::object();
  // Keys in the object's own order, each placed at the end: no search of
  // the map per key. A column is looked for first where the table's select
  // list puts it.
  auto& object = out.get_ref<Json::object_t&>();
  for (const Table::KeyedColumn& k : table.readable_by_key()) {
    const Column& c = table.columns()[k.column];
    const sql::Value& value = row.get(c.name, k.rank);
    if (c.type == ColumnType::kJson && value.is_text()) {
      auto parsed = parse_json(value.as_text());
      object.emplace_hint(object.end(), c.json_key,
                          parsed.ok() ? std::move(parsed).value() : Json(value.as_text()));
    } else {
      object.emplace_hint(object.end(), c.json_key, value_json(value));
    }
  }
  return out;
}

Json rows_json(const Table& table, const sql::ResultSet& rows) {
  Json out = Json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(row_json(table, sql::Row(rows, i)));
  return out;
}

Json json_array_column(const sql::Row& row, std::string_view column) {
  auto parsed = parse_json(row.text(column));
  return parsed.ok() && parsed->is_array() ? std::move(parsed).value() : Json::array();
}

}  // namespace eventuall::schema
