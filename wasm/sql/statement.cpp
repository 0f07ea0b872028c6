#include "sql/statement.h"

#include "common/bug.h"

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
  // Every column we read is one our own SQL selected: a miss is our bug (a
  // misspelled name would otherwise read NULL, and 0, and pick a wrong answer).
  if (index_ >= set_->rows.size()) bug("row " + std::to_string(index_) + " of a result of " +
                                       std::to_string(set_->rows.size()) + " rows");
  auto i = set_->column_index(column);
  if (!i) bug("no column " + std::string(column) + " in the result");
  if (*i >= set_->rows[index_].size()) bug("a result row shorter than its columns");
  return set_->rows[index_][*i];
}

const Value& Row::get(std::string_view column, std::size_t likely) const {
  const auto& columns = set_->columns;
  if (likely < columns.size() && index_ < set_->rows.size() &&
      likely < set_->rows[index_].size() && columns[likely] == column) {
    return set_->rows[index_][likely];
  }
  return get(column);
}

}  // namespace eventuall::sql
