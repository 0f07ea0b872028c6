// List a session's clips by participant and start, a page at a time by keyset
// (participant_id, start_offset_ms), optionally of one participant. Two round
// trips: the session and the page from the workers database, then event.view
// on the session's event in the webapp (a refused actor gets not_found and
// sees no clip).
#include "ops/input.h"
#include "ops/keyset_cursor.h"
#include "ops/rbac/actor_facts.h"
#include "ops/rbac/permission_sql.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/sessions.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What list_clips takes and answers (ops/contract.h).
const contract::Contract& list_clips_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("sessionId", "cloudcaster_sessions"), text("participantId").optional(),
                integer("limit", {.min = 1, .max = 1000}).optional(),
                text("cursor").max(600).optional()},
      .output = {array("clips", of::row("participant_clips")), text("nextCursor").nullable()},
      .summary = "A session's clips, by participant and start, a page at a time.",
  };
  return kContract;
}

OperationTask list_clips(Context& ctx, Json json) {
  auto args = contract::read(list_clips_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string session_id = args->text("sessionId");
  const auto participant_id = args->optional_text("participantId");
  const std::int64_t limit = args->optional_integer("limit").value_or(200);
  const auto after = read_cursor(*args, "cursor", "si");
  if (!after.ok()) co_return after.error();
  const std::optional<Json>& cursor = *after;

  const auto& clips = schema::workers_schema().table("participant_clips");
  sql::Statement page{"SELECT " + schema::select_list(clips) +
                          " FROM participant_clips WHERE session_id = ? AND (? IS NULL OR "
                          "participant_id = ?)",
                      {session_id, participant_id, participant_id}};
  if (cursor) {
    page.sql += " AND (participant_id, start_offset_ms) > (?, ?)";
    page.params.emplace_back((*cursor)[0].get<std::string>());
    page.params.emplace_back((*cursor)[1].get<std::int64_t>());
  }
  page.sql += " ORDER BY participant_id, start_offset_ms LIMIT ?";
  page.params.emplace_back(limit + 1);
  std::vector<sql::Statement> statements;
  statements.push_back(recording::select_session(session_id));
  // SQLite writes the page as JSON (keyset_cursor.h): its rows are never decoded here.
  static const std::string kObject = schema::json_object_sql(clips, "p");
  statements.push_back(
      json_page(std::move(page), kObject, limit, {"participant_id", "start_offset_ms"}));
  auto read = co_await ctx.run(sql::Database::kWorkers, std::move(statements));
  if (!read.ok()) co_return read.take_error();
  const std::string what = "recording " + session_id;
  if ((*read)[0].empty()) co_return Error::not_found(what + " not found");

  auto facts = co_await ctx.run(
      sql::Database::kWebapp,
      rbac::actor_facts(actor, rbac::EventRef::value(sql::Row((*read)[0], 0).text("event_id")),
                        rbac::permission::kEventView, ctx.now_seconds()));
  if (!facts.ok()) co_return facts.take_error();
  if (auto refusal = rbac::actor_refusal((*facts)[0], what, rbac::permission::kEventView)) {
    co_return *refusal;
  }
  const sql::ResultSet& rows = (*read)[1];
  const Json next = json_page_cursor(rows, limit, [](const sql::Row& last) {
    return Json::array({last.text("participant_id"), last.integer("start_offset_ms")});
  });
  co_return Json{{"clips", json_page_items(rows)}, {"nextCursor", next}};
}

}  // namespace eventuall::ops
