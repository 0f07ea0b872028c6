#include "ops/recording/sessions.h"

namespace eventuall::ops::recording {

const schema::Table& sessions_table() {
  return schema::workers_schema().table("cloudcaster_sessions");
}

sql::Statement select_session(const std::string& session_id) {
  static const std::string kSql =
      "SELECT " + schema::select_list(sessions_table()) + " FROM cloudcaster_sessions WHERE id = ?";
  return {kSql, {session_id}};
}

schema::Guard session_exists(const std::string& session_id) {
  return {"EXISTS (SELECT 1 FROM cloudcaster_sessions WHERE id = ?)", {session_id}};
}

}  // namespace eventuall::ops::recording
