#pragma once
// SQL text derived from the schema: select lists, JSON projections for joined
// reads, and inserts. Values are always bound; identifiers come only from here.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema/schema.h"
#include "sql/statement.h"

namespace eventuall::schema {

// "a.id AS id, a.name AS name, ..." over the table's public columns, prefixed
// by alias when given. Every column is aliased: D1's all() merges duplicates.
std::string select_list(const Table& table, std::string_view alias = {});
// One key of a json_object(...) and the SQL of its value.
struct JsonField {
  std::string key;
  std::string value_sql;
};
// The table's public columns as fields, keyed by the API's camelCase names:
// alias.column, JSON columns through json() so they stay JSON.
std::vector<JsonField> json_fields(const Table& table, std::string_view alias);
// "json_object('a', ..., 'b', ...)" with the keys in nlohmann's order (sorted
// bytewise), so the text SQLite writes is, byte for byte, what the core writes
// for the same value decoded: such text can be spliced into an outcome as it is
// (raw_json in common/json.h).
std::string json_object_sql(std::vector<JsonField> fields);
// json_object_sql(json_fields(table, alias)): for one-statement reads of a
// parent with its children, and list pages SQLite writes as JSON.
std::string json_object_sql(const Table& table, std::string_view alias);

// A parent's children as one JSON-array column, joined through the reference
// the child table declares to the parent (so a read of an event with its rooms
// is one statement, never N+1). order_by uses the child's column names.
std::string children_json_sql(const Table& child, const Table& parent,
                              std::string_view parent_alias, std::string_view order_by);

// A guard turns INSERT ... VALUES into INSERT ... SELECT ... WHERE <guard>, so a
// write that depends on a read stays inside one atomic batch.
struct Guard {
  std::string where_sql;
  std::vector<sql::Value> params;
};

class Insert {
 public:
  explicit Insert(const Table& table);

  // A column the table does not have is our bug: traps (common/bug.h). The
  // name is looked up in the table (which outlives the Insert) and kept as a
  // view of the schema's own name: no string is built per call.
  Insert& set(std::string_view column, sql::Value value);
  Insert& only_if(Guard guard) {
    guard_ = std::move(guard);
    return *this;
  }
  Insert& returning_row() {
    returning_ = true;
    return *this;
  }
  // ON CONFLICT DO NOTHING: a row that would break a uniqueness rule is
  // skipped (and returns nothing) instead of failing the batch.
  Insert& ignore_conflicts() {
    ignore_conflicts_ = true;
    return *this;
  }

  // Moves the values into the statement: an Insert builds once (a second
  // build() is our bug: traps).
  sql::Statement build();

 private:
  const Table& table_;
  std::vector<std::string_view> columns_;  // views of the table's column names
  std::vector<sql::Value> values_;
  std::optional<Guard> guard_;
  std::size_t next_column_ = 0;  // where set() starts looking: calls follow the table's order
  bool returning_ = false;
  bool ignore_conflicts_ = false;
  bool built_ = false;
};

// Many rows with the same columns, chunked to D1's limits. Each chunk carries
// the guard (if any) and returns its rows when asked.
std::vector<sql::Statement> insert_rows(const Table& table, const std::vector<std::string>& columns,
                                        std::vector<std::vector<sql::Value>> rows,
                                        const std::optional<Guard>& guard, bool returning);

}  // namespace eventuall::schema
