#pragma once
// DDL derived from the schema declarations. The first migration of each
// database is exactly schema_ddl(); tests/native/schema_test.cpp keeps it so.

#include <string>

#include "schema/schema.h"

namespace eventuall::schema {

// How the DDL spells a column's storage type and an ON DELETE action.
std::string_view storage_type(ColumnType type);
std::string_view on_delete_sql(OnDelete on_delete);

std::string create_table_sql(const Table& table);
std::string create_index_sql(const Table& table, const Index& index);
std::string create_view_sql(const View& view);
// Every CREATE statement of the schema, each ending in ";\n", tables in
// declaration order (parents before children), then indexes, then views.
std::string schema_ddl(const Schema& schema);

}  // namespace eventuall::schema
