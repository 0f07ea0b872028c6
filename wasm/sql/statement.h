#pragma once
// A batch is the unit of atomicity on both paths: one SQLite transaction
// natively, one env.DB.batch([...]) on D1.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/value.h"

namespace eventuall::sql {

// D1's limits per statement (checked on local workerd): 101 bound parameters
// fail, and so does SQL text over 100,000 bytes.
inline constexpr std::size_t kMaxParamsPerStatement = 100;
inline constexpr std::size_t kMaxStatementBytes = 100'000;

enum class Database { kWebapp, kWorkers };
std::string_view database_name(Database db);

struct Statement {
  std::string sql;
  std::vector<Value> params;
};

// Appends a SQL fragment's parameters, in order, to those of the statement it
// is spliced into.
inline void append_params(std::vector<Value>& to, const std::vector<Value>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

struct Batch {
  Database database = Database::kWebapp;
  std::vector<Statement> statements;
};

// Rows of one statement. Every selected column is aliased in our SQL, because
// D1's all() keeps only the last of duplicate column names.
class ResultSet {
 public:
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::int64_t changes = 0;

  std::optional<std::size_t> column_index(std::string_view name) const;
  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
};

// Read access to one row by column name.
class Row {
 public:
  Row(const ResultSet& set, std::size_t index) : set_(&set), index_(index) {}

  const Value& get(std::string_view column) const;  // an unknown column is our bug: traps
  // The same, looking first at position `likely` (where a SELECT of a known
  // list put the column): one comparison instead of a scan. Results name
  // each column once (see above), so either way it is the same value.
  const Value& get(std::string_view column, std::size_t likely) const;
  bool is_null(std::string_view column) const { return get(column).is_null(); }
  std::string text(std::string_view column) const { return get(column).as_text(); }
  std::int64_t integer(std::string_view column) const { return get(column).as_integer(); }

 private:
  const ResultSet* set_;
  std::size_t index_;
};

using BatchResult = std::vector<ResultSet>;

}  // namespace eventuall::sql
