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

}  // namespace eventuall::schema
