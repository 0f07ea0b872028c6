#include "schema/queries.h"

#include <cstring>
#include <utility>

#include "common/bug.h"
#include "sql/chunking.h"

namespace eventuall::schema {

std::string select_list(const Table& table, std::string_view alias) {
  return alias.empty() ? table.readable_columns_sql() : table.readable_columns_sql(alias);
}

std::vector<JsonField> json_fields(const Table& table, std::string_view alias) {
  std::vector<JsonField> fields;
  for (const auto& c : table.columns()) {
    if (c.secret) continue;
    std::string ref = std::string(alias) + "." + c.name;
    // json() keeps a JSON column an object instead of a quoted string.
    fields.push_back({c.json_key, c.type == ColumnType::kJson ? "json(" + ref + ")" : ref});
  }
  return fields;
}

std::string json_object_sql(std::vector<JsonField> fields) {
  // An insertion sort: a dozen fields, sorted once per statement shape
  // (std::sort's instantiation cost 12 KB of the wasm).
  for (std::size_t i = 1; i < fields.size(); ++i) {
    for (std::size_t j = i; j > 0 && fields[j].key < fields[j - 1].key; --j) {
      std::swap(fields[j], fields[j - 1]);
    }
  }
  std::string out = "json_object(";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ", ";
    out += "'" + fields[i].key + "', " + fields[i].value_sql;
  }
  return out + ")";
}

std::string json_object_sql(const Table& table, std::string_view alias) {
  return json_object_sql(json_fields(table, alias));
}

std::string children_json_sql(const Table& child, const Table& parent,
                              std::string_view parent_alias, std::string_view order_by) {
  std::string reference_column;
  for (const auto& c : child.columns()) {
    if (c.references && c.references->table == parent.name()) reference_column = c.name;
  }
  const std::string& alias = child.name();
  return "(SELECT json_group_array(json(children.object)) FROM (SELECT " +
         json_object_sql(child, alias) + " AS object FROM " + child.name() + " " + alias +
         " WHERE " + alias + "." + reference_column + " = " + std::string(parent_alias) +
         ".id ORDER BY " + std::string(order_by) + ") AS children)";
}

namespace {

void require_column(const Table& table, std::string_view column) {
  if (!table.column(column)) bug("no column " + std::string(column) + " in " + table.name());
}

// The bytes of one row's "(?, ?, ...)": "(?)" is 3, each further ", ?" 3.
std::size_t row_placeholder_bytes(std::size_t columns) {
  return columns == 0 ? 2 : 3 * columns;
}

// Copies pieces into a string sized for them beforehand.
struct Writer {
  char* at;
  void put(std::string_view piece) {
    std::memcpy(at, piece.data(), piece.size());
    at += piece.size();
  }
};

// The SQL of one multi-row insert; rows are "(?, ...)" groups either in a
// VALUES clause or, with a guard, in a guarded SELECT over a VALUES list.
// Its length is counted first and the text written into place (appends,
// each with its own length and capacity check, showed in profiles).
std::string insert_sql(const Table& table, const std::vector<std::string_view>& columns,
                       std::size_t row_count, const std::optional<Guard>& guard, bool returning,
                       bool ignore_conflicts = false) {
  constexpr std::string_view kInsertInto = "INSERT INTO ";
  constexpr std::string_view kOpen = " (";
  constexpr std::string_view kComma = ", ";
  constexpr std::string_view kSelectValues = ") SELECT * FROM (VALUES ";
  constexpr std::string_view kValues = ") VALUES ";
  constexpr std::string_view kWhere = ") WHERE ";
  constexpr std::string_view kIgnore = " ON CONFLICT DO NOTHING";
  constexpr std::string_view kReturning = " RETURNING ";
  const std::size_t one_row = row_placeholder_bytes(columns.size());
  std::size_t size = kInsertInto.size() + table.name().size() + kOpen.size();
  for (std::size_t i = 0; i < columns.size(); ++i) size += (i ? kComma.size() : 0) + columns[i].size();
  size += guard ? kSelectValues.size() : kValues.size();
  size += row_count * one_row + (row_count ? (row_count - 1) * kComma.size() : 0);
  if (guard) size += kWhere.size() + guard->where_sql.size();
  if (ignore_conflicts) size += kIgnore.size();
  if (returning) size += kReturning.size() + table.readable_columns_sql().size();

  std::string out(size, '\0');
  Writer w{out.data()};
  w.put(kInsertInto);
  w.put(table.name());
  w.put(kOpen);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) w.put(kComma);
    w.put(columns[i]);
  }
  w.put(guard ? kSelectValues : kValues);
  for (std::size_t r = 0; r < row_count; ++r) {
    if (r) w.put(kComma);
    *w.at++ = '(';
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c) w.put(kComma);
      *w.at++ = '?';
    }
    *w.at++ = ')';
  }
  if (guard) {
    w.put(kWhere);
    w.put(guard->where_sql);
  }
  if (ignore_conflicts) w.put(kIgnore);
  if (returning) {
    w.put(kReturning);
    w.put(table.readable_columns_sql());
  }
  if (w.at != out.data() + out.size()) bug("insert SQL of " + table.name() + " miscounted");
  return out;
}

}  // namespace

Insert::Insert(const Table& table) : table_(table) {
  // Each column is set at most once: one allocation each instead of growing
  // (and room for a guard's parameters, which build() appends).
  columns_.reserve(table.columns().size());
  values_.reserve(table.columns().size() + 2);
}

Insert& Insert::set(std::string_view column, sql::Value value) {
  const std::vector<Column>& all = table_.columns();
  const std::size_t n = all.size();
  std::size_t at = next_column_;
  std::size_t tried = 0;
  for (; tried < n; ++tried, ++at) {
    if (at >= n) at = 0;
    if (all[at].name == column) break;
  }
  if (tried == n) require_column(table_, column);  // not in the table: traps
  next_column_ = at + 1;
  columns_.push_back(all[at].name);
  values_.push_back(std::move(value));
  return *this;
}

sql::Statement Insert::build() {
  if (built_) bug("Insert of " + table_.name() + " built twice");
  built_ = true;
  sql::Statement statement{insert_sql(table_, columns_, 1, guard_, returning_, ignore_conflicts_),
                           std::move(values_)};
  if (guard_) {
    statement.params.reserve(statement.params.size() + guard_->params.size());
    for (auto& p : guard_->params) statement.params.push_back(std::move(p));
  }
  return statement;
}

std::vector<sql::Statement> insert_rows(const Table& table, const std::vector<std::string>& columns,
                                        std::vector<std::vector<sql::Value>> rows,
                                        const std::optional<Guard>& guard, bool returning) {
  for (const auto& c : columns) require_column(table, c);
  const std::vector<std::string_view> names(columns.begin(), columns.end());
  std::vector<sql::Statement> statements;
  sql::ChunkShape shape;
  shape.params_per_row = columns.size();
  shape.fixed_params = guard ? guard->params.size() : 0;
  shape.fixed_sql_bytes = insert_sql(table, names, 0, guard, returning).size();
  shape.sql_bytes_per_row = row_placeholder_bytes(columns.size()) + 2;

  std::size_t next = 0;
  for (std::size_t count : sql::chunk_row_counts(rows.size(), shape)) {
    sql::Statement statement{insert_sql(table, names, count, guard, returning), {}};
    statement.params.reserve(count * columns.size() + shape.fixed_params);
    for (std::size_t r = next; r < next + count; ++r) {
      for (auto& value : rows[r]) statement.params.push_back(std::move(value));
    }
    if (guard) {
      for (const auto& p : guard->params) statement.params.push_back(p);
    }
    statements.push_back(std::move(statement));
    next += count;
  }
  return statements;
}

}  // namespace eventuall::schema
