#pragma once
// Both bindings report a failed batch by SQLite's message (D1 wraps it, e.g.
// "D1_ERROR: UNIQUE constraint failed: users.email: SQLITE_CONSTRAINT").
// One classification serves both, so callers see the same code either way.

#include <string_view>

#include "common/status.h"

namespace eventuall::sql {

Error classify_db_error(std::string_view message);

}  // namespace eventuall::sql
