#pragma once
// Keyset pagination. A page is read with one row beyond its limit: that row's
// presence says another page exists. The cursor handed back is the sort key of
// the page's last row (a JSON array of strings and integers), base64url-encoded
// and opaque to callers, who only hand it back.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/status.h"
#include "ops/contract.h"
#include "sql/statement.h"

namespace eventuall::ops {

std::string encode_cursor(const Json& key);
// The key, if `text` is a cursor of the given shape:
// `shape` has one letter per element, 's' for a string and 'i' for an integer.
std::optional<Json> decode_cursor(const std::string& text, std::string_view shape);

// The optional text `field` of a validated input as a cursor of `shape`
// (nullopt when absent); invalid_input when it is not one.
Result<std::optional<Json>> read_cursor(const contract::Args& args, std::string_view field,
                                        std::string_view shape);

// Drops the row read beyond `limit`, if any, and returns the cursor of the
// page's last row (`key_of(row)`), or null when this is the last page.
template <class KeyOf>
Json next_page_cursor(sql::ResultSet& rows, std::int64_t limit, KeyOf key_of) {
  if (rows.size() <= static_cast<std::size_t>(limit)) return nullptr;
  rows.rows.resize(static_cast<std::size_t>(limit));
  return encode_cursor(key_of(sql::Row(rows, rows.size() - 1)));
}

// A page SQLite writes as JSON. `rows` selects the page's rows in order with
// one beyond the page (LIMIT limit + 1, and OFFSET if any), each column named;
// `object` is one row's json_object(...) over alias p (schema::json_object_sql).
// The statement returns one row: row_count (rows read), page_json (the first
// `limit` rows as one JSON array, in order) and, under its own name, each of
// key_columns of the page's last row (for the cursor).
sql::Statement json_page(sql::Statement rows, const std::string& object, std::int64_t limit,
                         std::initializer_list<std::string_view> key_columns = {});
// The page's rows as JSON text, for the outcome (raw_json: never decoded).
Json json_page_items(const sql::ResultSet& page);
// Whether a row was read beyond the page.
bool json_page_has_more(const sql::ResultSet& page, std::int64_t limit);
// The cursor of the page's last row (`key_of(row)` over the key columns), or
// null when this is the last page.
template <class KeyOf>
Json json_page_cursor(const sql::ResultSet& page, std::int64_t limit, KeyOf key_of) {
  if (!json_page_has_more(page, limit)) return nullptr;
  return encode_cursor(key_of(sql::Row(page, 0)));
}

}  // namespace eventuall::ops
