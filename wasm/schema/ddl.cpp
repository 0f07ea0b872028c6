#include "schema/ddl.h"

namespace eventuall::schema {

std::string_view storage_type(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger:
      return "INTEGER";
    case ColumnType::kReal:
      return "REAL";
    case ColumnType::kBlob:
      return "BLOB";
    case ColumnType::kText:
    case ColumnType::kJson:
      return "TEXT";
  }
  return "TEXT";
}

std::string_view on_delete_sql(OnDelete on_delete) {
  switch (on_delete) {
    case OnDelete::kCascade:
      return "CASCADE";
    case OnDelete::kSetNull:
      return "SET NULL";
    case OnDelete::kRestrict:
      return "RESTRICT";
  }
  return "RESTRICT";
}

namespace {

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ", ";
    out += "'" + v + "'";
  }
  return out;
}

std::string column_sql(const Column& c) {
  std::string out = c.name + " " + std::string(storage_type(c.type));
  if (c.primary_key) out += " PRIMARY KEY";
  if (c.not_null) out += " NOT NULL";
  if (c.default_sql) out += " DEFAULT " + *c.default_sql;
  if (!c.enum_values.empty()) {
    out += " CHECK (" + c.name + " IN (" + quoted_list(c.enum_values) + "))";
  }
  if (c.check) out += " CHECK (" + *c.check + ")";
  if (c.references) {
    out += " REFERENCES " + c.references->table + " (" + c.references->column + ") ON DELETE " +
           std::string(on_delete_sql(c.references->on_delete));
  }
  return out;
}

}  // namespace

std::string create_table_sql(const Table& table) {
  std::string out = "CREATE TABLE " + table.name() + " (\n";
  bool first = true;
  auto line = [&](const std::string& text) {
    if (!first) out += ",\n";
    out += "  " + text;
    first = false;
  };
  for (const auto& c : table.columns()) line(column_sql(c));
  for (const auto& check : table.checks()) line("CHECK (" + check + ")");
  out += "\n) STRICT";
  return out;
}

std::string create_index_sql(const Table& table, const Index& index) {
  std::string out = index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  out += index.name + " ON " + table.name() + " (";
  for (std::size_t i = 0; i < index.columns.size(); ++i) {
    if (i) out += ", ";
    out += index.columns[i];
  }
  out += ")";
  if (index.where) out += " WHERE " + *index.where;
  return out;
}

std::string create_view_sql(const View& view) {
  return "CREATE VIEW " + view.name + " AS " + view.select_sql;
}

std::string schema_ddl(const Schema& schema) {
  std::string out;
  for (const auto& table : schema.tables()) out += create_table_sql(table) + ";\n\n";
  for (const auto& table : schema.tables()) {
    for (const auto& index : table.indexes()) out += create_index_sql(table, index) + ";\n";
  }
  for (const auto& view : schema.views()) out += "\n" + create_view_sql(view) + ";\n";
  return out;
}

}  // namespace eventuall::schema
