#include "sql/statement.h"

namespace eventuall::sql {

std::string_view database_name(Database db) {
  return db == Database::kWebapp ? "webapp" : "workers";
}

std::optional<std::size_t> ResultSet::column_index(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  return std::nullopt;
}

const Value& Row::get(std::string_view column) const {
  static const Value kNull;
  auto i = set_->column_index(column);
  if (!i || index_ >= set_->rows.size() || *i >= set_->rows[index_].size()) return kNull;
  return set_->rows[index_][*i];
}

}  // namespace eventuall::sql
