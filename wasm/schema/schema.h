#pragma once
// The schema, declared once as code (Drizzle's model). DDL, the JSON shape of
// rows, select lists and joined reads are all derived from these declarations;
// the first migration of each database is this DDL, and a test keeps them equal.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/statement.h"

namespace eventuall::schema {

// STRICT tables take only these storage types. kJson is TEXT holding valid JSON.
enum class ColumnType { kText, kInteger, kReal, kBlob, kJson };
enum class OnDelete { kCascade, kSetNull, kRestrict };

struct Reference {
  std::string table;
  std::string column = "id";
  OnDelete on_delete = OnDelete::kCascade;
};

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
  bool not_null = false;
  bool primary_key = false;
  bool secret = false;  // stored hashes: never leave the core in a row
  std::optional<std::string> default_sql;
  std::vector<std::string> enum_values;  // inline CHECK (col IN (...))
  std::optional<std::string> check;      // extra CHECK expression
  std::optional<Reference> references;
  std::string json_key;  // camelCase name used in the JSON API

  // Chainable modifiers, so a table reads like its DDL.
  Column required() && {
    not_null = true;
    return std::move(*this);
  }
  Column defaults_to(std::string sql) && {
    default_sql = std::move(sql);
    return std::move(*this);
  }
  Column one_of(std::vector<std::string> values) && {
    enum_values = std::move(values);
    return std::move(*this);
  }
  Column checked(std::string expression) && {
    check = std::move(expression);
    return std::move(*this);
  }
  Column references_(std::string table, OnDelete on_delete) && {
    references = Reference{std::move(table), "id", on_delete};
    return std::move(*this);
  }
  Column hidden() && {
    secret = true;
    return std::move(*this);
  }
};

// Column constructors.
Column id_column();
Column text(std::string name);
Column integer(std::string name);
Column real(std::string name);
Column json_text(std::string name);
Column timestamp(std::string name);  // INTEGER unix seconds, named *_at
Column created_at();
Column updated_at();
// A required reference to another table's id.
Column foreign_id(std::string name, std::string table, OnDelete on_delete);
// An optional reference (NULL allowed).
Column optional_foreign_id(std::string name, std::string table, OnDelete on_delete);

struct Index {
  std::vector<std::string> columns;  // column names or SQL expressions
  bool unique = false;
  std::optional<std::string> where;  // partial index
  std::string name;                  // derived: <table>_<cols>_idx
};

Index index(std::vector<std::string> columns);
Index unique_index(std::vector<std::string> columns);
Index unique_index_where(std::vector<std::string> columns, std::string where);

class Table {
 public:
  Table(std::string name, std::vector<Column> columns, std::vector<Index> indexes = {},
        std::vector<std::string> checks = {});

  const std::string& name() const { return name_; }
  const std::vector<Column>& columns() const { return columns_; }
  const std::vector<Index>& indexes() const { return indexes_; }
  const std::vector<std::string>& checks() const { return checks_; }
  const Column* column(std::string_view name) const;
  // The values a column's inline enum CHECK allows (empty when it has none):
  // operations validate input against these, never against a copy.
  const std::vector<std::string>& allowed_values(std::string_view column) const;
  // "id AS id, name AS name, ..." over the columns that are not secret: the
  // RETURNING and SELECT list of most statements, built once (see queries.h).
  const std::string& readable_columns_sql() const { return readable_columns_sql_; }
  // The same list over the table's alias in a join: "u.id AS id, ...".
  std::string readable_columns_sql(std::string_view alias) const;

  // The readable columns in the order of their json_key (bytewise, the order
  // of a JSON object's keys): a row's JSON is written key after key at the
  // end of its object. `rank` is where the column stands in
  // readable_columns_sql(), so in a result that selected that list.
  struct KeyedColumn {
    std::uint16_t column;  // index in columns()
    std::uint16_t rank;
  };
  const std::vector<KeyedColumn>& readable_by_key() const { return readable_by_key_; }

 private:
  std::string name_;
  std::vector<Column> columns_;
  std::string readable_columns_sql_;
  std::vector<KeyedColumn> readable_by_key_;
  std::vector<Index> indexes_;
  std::vector<std::string> checks_;
};

struct View {
  std::string name;
  std::string select_sql;
};

class Schema {
 public:
  Schema(sql::Database database, std::vector<Table> tables, std::vector<View> views);

  sql::Database database() const { return database_; }
  const std::vector<Table>& tables() const { return tables_; }
  const std::vector<View>& views() const { return views_; }
  // Tables are looked up by name from operation code; a missing name is a bug
  // caught by the schema tests, never by a caller.
  const Table& table(std::string_view name) const;
  const Table* find_table(std::string_view name) const;

 private:
  sql::Database database_;
  std::vector<Table> tables_;
  std::vector<View> views_;
};

const Schema& webapp_schema();
const Schema& workers_schema();

std::string snake_to_camel(std::string_view snake);

}  // namespace eventuall::schema
