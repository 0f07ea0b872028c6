// Query logs by session, level, layer and time window [since, until), oldest
// first, a page at a time by keyset (logged_at, rowid). rowid, not id, breaks
// ties within a second: ids are random, rowids grow in append order, so lines
// of one second come back in the order they were appended. (VACUUM may
// renumber rowids; a cursor held across one could skip or repeat lines.) Every
// index ends in the rowid, so the indexes on
// (session_id, logged_at), (level, logged_at) and (logged_at) serve each
// filter. A sessionId that does not exist is not_found rather than an empty
// page. One round trip. Service layers call it: no actor.
#include "ops/input.h"
#include "ops/keyset_cursor.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/sessions.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What query_logs takes and answers (ops/contract.h).
const contract::Contract& query_logs_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("sessionId", "cloudcaster_sessions").optional(),
                one_of("level", "cloudcaster_logs.level").optional(),
                one_of("layer", "cloudcaster_logs.layer").optional(), integer("since").optional(),
                integer("until").optional(), integer("limit", {.min = 1, .max = 1000}).optional(),
                text("cursor").max(300).optional()},
      .output = {array("logs", of::row("cloudcaster_logs")), text("nextCursor").nullable()},
      .summary = "Log lines by session, level, layer and time, a page at a time.",
  };
  return kContract;
}

OperationTask query_logs(Context& ctx, Json json) {
  auto args = contract::read(query_logs_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto session_id = args->optional_text("sessionId");
  const auto level = args->optional_text("level");
  const auto layer = args->optional_text("layer");
  const auto since = args->optional_integer("since");
  const auto until = args->optional_integer("until");
  if (since && until && *until < *since)
    co_return Error::invalid_input("until must not be before since");
  const std::int64_t limit = args->optional_integer("limit").value_or(100);
  const auto after = read_cursor(*args, "cursor", "ii");
  if (!after.ok()) co_return after.error();
  const std::optional<Json>& cursor = *after;
  const auto& logs = schema::workers_schema().table("cloudcaster_logs");

  sql::Statement page{
      "SELECT " + schema::select_list(logs) + ", rowid AS line_order FROM cloudcaster_logs WHERE 1",
      {}};
  auto filter = [&](const char* sql, const sql::Value& value) {
    page.sql += sql;
    page.params.push_back(value);
  };
  if (session_id) filter(" AND session_id = ?", *session_id);
  if (level) filter(" AND level = ?", *level);
  if (layer) filter(" AND layer = ?", *layer);
  if (since) filter(" AND logged_at >= ?", *since);
  if (until) filter(" AND logged_at < ?", *until);
  if (cursor) {
    page.sql += " AND (logged_at, rowid) > (?, ?)";
    page.params.emplace_back((*cursor)[0].get<std::int64_t>());
    page.params.emplace_back((*cursor)[1].get<std::int64_t>());
  }
  page.sql += " ORDER BY logged_at, rowid LIMIT ?";
  page.params.emplace_back(limit + 1);

  std::vector<sql::Statement> statements;
  // SQLite writes the page as JSON (keyset_cursor.h): its rows are never decoded here.
  static const std::string kObject = schema::json_object_sql(logs, "p");
  statements.push_back(json_page(std::move(page), kObject, limit, {"logged_at", "line_order"}));
  if (session_id) statements.push_back(recording::select_session(*session_id));
  auto read = co_await ctx.run(sql::Database::kWorkers, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  if (session_id && (*read)[1].empty()) {
    co_return Error::not_found("recording " + *session_id + " not found");
  }
  const sql::ResultSet& rows = (*read)[0];
  const Json next = json_page_cursor(rows, limit, [](const sql::Row& last) {
    return Json::array({last.integer("logged_at"), last.integer("line_order")});
  });
  co_return Json{{"logs", json_page_items(rows)}, {"nextCursor", next}};
}

}  // namespace eventuall::ops
