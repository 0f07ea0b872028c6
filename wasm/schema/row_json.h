#pragma once
// Rows leave the core as JSON objects shaped by the schema: camelCase keys,
// JSON columns as values, secret columns never.

#include "common/json.h"
#include "schema/schema.h"
#include "sql/statement.h"

namespace eventuall::schema {

Json value_json(const sql::Value& value);
Json row_json(const Table& table, const sql::Row& row);
Json rows_json(const Table& table, const sql::ResultSet& rows);
// A column holding a JSON array (e.g. children_json_sql), as JSON; anything
// else reads as an empty array.
Json json_array_column(const sql::Row& row, std::string_view column);

}  // namespace eventuall::schema
