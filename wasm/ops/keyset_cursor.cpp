#include "ops/keyset_cursor.h"

#include "common/encoding.h"
#include "common/for_size.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops {

std::string encode_cursor(const Json& key) {
  return base64url_encode(dump_json(key));
}

std::optional<Json> decode_cursor(const std::string& text, std::string_view shape) {
  std::string decoded;
  if (!base64url_decode(text, decoded)) return std::nullopt;
  auto key = parse_json(decoded);
  if (!key.ok() || !key->is_array() || key->size() != shape.size()) return std::nullopt;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const Json& v = (*key)[i];
    if (shape[i] == 's' ? !v.is_string() : !v.is_number_integer()) return std::nullopt;
  }
  return std::move(key).value();
}

Result<std::optional<Json>> read_cursor(const contract::Args& args, std::string_view field,
                                        std::string_view shape) {
  const auto text = args.optional_text(field);
  if (!text) return std::optional<Json>();
  auto cursor = decode_cursor(*text, shape);
  if (!cursor) {
    return Error::invalid_input(std::string(field) + " is not a cursor returned by this operation");
  }
  return cursor;
}

sql::Statement json_page(sql::Statement rows, const std::string& object, std::int64_t limit,
                         std::initializer_list<std::string_view> key_columns) {
  // The rows are numbered in the order the page reads them (row_number() over
  // no ORDER BY follows its input), and aggregated in that order.
  std::string text = "SELECT count(*) AS row_count, json_group_array(" + object +
                     ") FILTER (WHERE p.page_row <= ?) AS page_json";
  std::vector<sql::Value> params = {limit};
  for (const auto column : key_columns) {
    const std::string name(column);
    text += ", max(CASE WHEN p.page_row = ? THEN p." + name + " END) AS " + name;
    params.emplace_back(limit);
  }
  text += " FROM (SELECT q.*, row_number() OVER () AS page_row FROM (" + rows.sql + ") q) p";
  sql::append_params(params, rows.params);
  return {std::move(text), std::move(params)};
}

Json json_page_items(const sql::ResultSet& page) {
  return raw_json(sql::Row(page, 0).text("page_json"));
}

bool json_page_has_more(const sql::ResultSet& page, std::int64_t limit) {
  return sql::Row(page, 0).integer("row_count") > limit;
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
