// Create event: an event of an account with its rooms, in one atomic batch.
// Only owners of the account may create its events. Each insert is guarded (the
// event by the actor's ownership, the rooms by the event's existence), so a
// refused or unknown account writes nothing and is reported as not_found —
// the same answer either way, so other tenants' accounts do not show.
#include "common/for_size.h"
#include "ops/events/events_operations.h"
#include "ops/input.h"
#include "schema/queries.h"
#include "schema/row_json.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops {

namespace {

inline constexpr std::size_t kMaxRoomsPerEvent = 100;

struct RoomInput {
  std::string name;
  std::string kind;
  std::optional<std::int64_t> capacity;
};

}  // namespace

// What create_event takes and answers (ops/contract.h).
const contract::Contract& create_event_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor(), id("accountId", "accounts"), text("name"),
                text("description").max(10'000).optional(),
                one_of("status", "events.status").defaults_to("draft"),
                integer("startsAt").optional(), integer("endsAt").optional(),
                text("timezone").max(64).optional(), text("image").max(2048).optional(),
                array("rooms",
                      of::object({text("name"), one_of("kind", "rooms.kind").defaults_to("session"),
                                  integer("capacity", {.min = 1}).optional()}),
                      kMaxRoomsPerEvent)
                    .optional()},
      .output = {row("event", "events"), array("rooms", of::row("rooms"))},
      .summary = "An event of an account with its rooms.",
  };
  return kContract;
}

OperationTask create_event(Context& ctx, Json json) {
  auto args = contract::read(create_event_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const std::string actor = args->text("actorUserId");
  const std::string account_id = args->text("accountId");
  const std::string name = args->text("name");
  const auto description = args->optional_text("description");
  const std::string status = args->text("status");
  const auto starts_at = args->optional_integer("startsAt");
  const auto ends_at = args->optional_integer("endsAt");
  const auto timezone = args->optional_text("timezone");
  const auto image = args->optional_text("image");
  if (starts_at && ends_at && *ends_at < *starts_at)
    co_return Error::invalid_input("endsAt must not be before startsAt");
  std::vector<RoomInput> rooms;
  for (const auto& room : args->objects("rooms")) {
    rooms.push_back({room.text("name"), room.text("kind"), room.optional_integer("capacity")});
  }
  const auto& events = schema::webapp_schema().table("events");
  const auto& rooms_table = schema::webapp_schema().table("rooms");

  const std::int64_t now = ctx.now_seconds();
  const std::string event_id = ctx.new_id();

  std::vector<sql::Statement> statements;
  statements.push_back(schema::Insert(events)
                           .set("id", event_id)
                           .set("account_id", account_id)
                           .set("name", name)
                           .set("description", description)
                           .set("status", status)
                           .set("starts_at", starts_at)
                           .set("ends_at", ends_at)
                           .set("timezone", timezone)
                           .set("image", image)
                           .set("created_by_user_id", actor)
                           .set("created_at", now)
                           .set("updated_at", now)
                           .only_if({"EXISTS (SELECT 1 FROM account_ownership WHERE account_id = ? "
                                     "AND user_id = ?)",
                                     {account_id, actor}})
                           .returning_row()
                           .build());
  std::vector<std::vector<sql::Value>> room_rows;
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    room_rows.push_back({ctx.new_id(), event_id, rooms[i].name, rooms[i].kind,
                         static_cast<std::int64_t>(i), rooms[i].capacity, now, now});
  }
  for (auto& statement : schema::insert_rows(
           rooms_table,
           {"id", "event_id", "name", "kind", "position", "capacity", "created_at", "updated_at"},
           std::move(room_rows),
           schema::Guard{"EXISTS (SELECT 1 FROM events WHERE id = ?)", {event_id}},
           /*returning=*/true)) {
    statements.push_back(std::move(statement));
  }

  auto written = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!written.ok()) co_return written.take_error();
  if ((*written)[0].empty()) co_return Error::not_found("account " + account_id + " not found");

  Json room_list = Json::array();
  for (std::size_t s = 1; s < written->size(); ++s) {
    for (auto& room : schema::rows_json(rooms_table, (*written)[s])) room_list.push_back(room);
  }
  co_return Json{{"event", schema::row_json(events, sql::Row((*written)[0], 0))},
                 {"rooms", std::move(room_list)}};
}

}  // namespace eventuall::ops

EVENTUALL_FOR_SIZE_END
