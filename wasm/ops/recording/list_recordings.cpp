// List recordings of an event (optionally of one room), newest first, a page
// at a time by keyset (created_at, id). Two round trips: event.view (and the
// room's membership in the event) in the webapp, then the page in the workers
// database.
#include "ops/input.h"
#include "ops/keyset_cursor.h"
#include "ops/rbac/actor_facts.h"
#include "ops/rbac/permission_sql.h"
#include "ops/recording/recording_operations.h"
#include "ops/recording/sessions.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What list_recordings takes and answers (ops/contract.h).
const contract::Contract& list_recordings_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("eventId", "events"), id("roomId", "rooms").optional(),
                one_of("status", "cloudcaster_sessions.status").optional(),
                integer("limit", {.min = 1, .max = 100}).optional(),
                text("cursor").max(300).optional()},
      .output = {array("sessions", of::row("cloudcaster_sessions")), text("nextCursor").nullable()},
      .summary = "An event's recording sessions, a page at a time.",
  };
  return kContract;
}

OperationTask list_recordings(Context& ctx, Json json) {
  auto args = contract::read(list_recordings_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string event_id = args->text("eventId");
  const auto room_id = args->optional_text("roomId");
  const auto status = args->optional_text("status");
  const std::int64_t limit = args->optional_integer("limit").value_or(50);
  const auto after = read_cursor(*args, "cursor", "is");
  if (!after.ok()) co_return after.error();
  const std::optional<Json>& cursor = *after;
  const auto& sessions = recording::sessions_table();

  auto facts =
      co_await ctx.run(sql::Database::kWebapp,
                       rbac::actor_facts(actor, rbac::EventRef::value(event_id),
                                         rbac::permission::kEventView, ctx.now_seconds(), room_id));
  if (!facts.ok()) co_return facts.take_error();
  if (auto refusal = rbac::actor_refusal((*facts)[0], "event " + event_id,
                                         rbac::permission::kEventView, room_id)) {
    co_return *refusal;
  }

  sql::Statement page{"SELECT " + schema::select_list(sessions) +
                          " FROM cloudcaster_sessions WHERE event_id = ? AND (? IS NULL OR "
                          "room_id = ?) AND (? IS NULL OR status = ?)",
                      {event_id, room_id, room_id, status, status}};
  if (cursor) {
    page.sql += " AND (created_at, id) < (?, ?)";
    page.params.emplace_back((*cursor)[0].get<std::int64_t>());
    page.params.emplace_back((*cursor)[1].get<std::string>());
  }
  // One row beyond the page says whether another page exists.
  page.sql += " ORDER BY created_at DESC, id DESC LIMIT ?";
  page.params.emplace_back(limit + 1);
  // SQLite writes the page as JSON (keyset_cursor.h): its rows are never decoded here.
  static const std::string kObject = schema::json_object_sql(sessions, "p");
  sql::Statement page_json = json_page(std::move(page), kObject, limit, {"created_at", "id"});
  auto read = co_await ctx.run(sql::Database::kWorkers, std::move(page_json));
  if (!read.ok()) co_return read.take_error();

  const sql::ResultSet& rows = (*read)[0];
  const Json next = json_page_cursor(rows, limit, [](const sql::Row& last) {
    return Json::array({last.integer("created_at"), last.text("id")});
  });
  co_return Json{{"sessions", json_page_items(rows)}, {"nextCursor", next}};
}

}  // namespace eventuall::ops
