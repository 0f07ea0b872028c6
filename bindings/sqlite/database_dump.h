#pragma once
// A full, typed text dump of a database: its schema and every row of every
// table. Equal dumps mean an unchanged database, which is how the fault
// injection and security tests compare states.

#include <string>

#include "common/status.h"
#include "sqlite_database.h"

namespace eventuall::sqlite {

// sqlite_master (tables, indexes, views, triggers), then each table's rows
// sorted, each value tagged with its type (i:1, r:1.5, t:'x', b:ff, NULL).
Result<std::string> dump_database(SqliteDatabase& db);

}  // namespace eventuall::sqlite
