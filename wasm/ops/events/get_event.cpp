// Get event: the event with its rooms (by position) and its tickets (by
// price), read in one statement through the relations the schema declares.
// The actor must hold event.view; an event they cannot see is not_found.
#include "common/for_size.h"
#include "ops/events/events_operations.h"
#include "ops/input.h"
#include "ops/rbac/actor_facts.h"
#include "schema/queries.h"
#include "schema/row_json.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops {

// What get_event takes and answers (ops/contract.h).
const contract::Contract& get_event_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("id", "events")},
      .output = {row("event", "events"), array("rooms", of::row("rooms")),
                 array("tickets", of::row("tickets"))},
      .summary = "An event with its rooms and tickets.",
  };
  return kContract;
}

OperationTask get_event(Context& ctx, Json json) {
  auto args = contract::read(get_event_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string event_id = args->text("id");

  const auto& schema = schema::webapp_schema();
  const auto& events = schema.table("events");
  static const std::string kSql =
      "SELECT " + schema::select_list(events, "e") + ", " +
      schema::children_json_sql(schema.table("rooms"), events, "e", "position, created_at, id") +
      " AS rooms_json, " +
      schema::children_json_sql(schema.table("tickets"), events, "e", "price, name, id") +
      " AS tickets_json FROM events e WHERE e.id = ? AND ";

  rbac::Condition visible =
      rbac::sees_event(actor, rbac::EventRef::column_of("e.id"), ctx.now_seconds());
  sql::Statement select{kSql + visible.sql, {event_id}};
  sql::append_params(select.params, visible.params);
  auto read = co_await ctx.run(sql::Database::kWebapp, std::move(select));
  if (!read.ok()) co_return read.take_error();
  if ((*read)[0].empty()) co_return Error::not_found("event " + event_id + " not found");

  const sql::Row row((*read)[0], 0);
  co_return Json{{"event", schema::row_json(events, row)},
                 // Written by SQLite as JSON, spliced in undecoded (raw_json).
                 {"rooms", raw_json(row.text("rooms_json"))},
                 {"tickets", raw_json(row.text("tickets_json"))}};
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
