#pragma once
// Reads and guards on a recording session shared by the recording operations.

#include <string>

#include "schema/queries.h"
#include "schema/schema.h"

namespace eventuall::ops::recording {

const schema::Table& sessions_table();
// The session's row (public columns), or no row.
sql::Statement select_session(const std::string& session_id);
// Writes of a session's children run only while the session exists, so an
// unknown session writes nothing and is reported as not_found, not as a
// foreign-key failure.
schema::Guard session_exists(const std::string& session_id);

}  // namespace eventuall::ops::recording
