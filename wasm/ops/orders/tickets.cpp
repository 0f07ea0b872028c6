// Tickets of an event: name, price (minor units), currency, capacity, and the
// rooms the ticket opens (none: the whole event). Changing them needs
// event.manage; listing them event.view. Each operation is one atomic batch
// whose writes are guarded by the caller's right and the input's consistency
// (rooms of the same event, capacity not below what is already sold).
#include <algorithm>

#include "ops/input.h"
#include "ops/orders/normalized_order.h"
#include "ops/orders/order_sql.h"
#include "ops/orders/orders_operations.h"
#include "ops/orders/payload_fields.h"
#include "ops/rbac/actor_facts.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

namespace {

inline constexpr std::size_t kMaxTicketRooms = 100;

// True when every room id (a JSON array) is a room of the event.
rbac::Condition rooms_of_event(const std::vector<std::string>& rooms, const rbac::EventRef& event) {
  rbac::Condition c{
      "(SELECT count(*) FROM rooms WHERE id IN (SELECT value FROM json_each(?)) AND "
      "event_id = " +
          event.sql + ") = ?",
      {dump_json(Json(rooms))}};
  sql::append_params(c.params, event.params);
  c.params.emplace_back(static_cast<std::int64_t>(rooms.size()));
  return c;
}

// The ticket's rooms as a statement: INSERT one ticket_rooms row per room id.
sql::Statement insert_ticket_rooms(Context& ctx, const std::string& ticket_id,
                                   const std::vector<std::string>& rooms, std::int64_t now,
                                   const rbac::Condition& guard) {
  sql::Statement s{"INSERT INTO ticket_rooms (id, ticket_id, room_id, created_at) SELECT " +
                       orders::derived_id_sql("?", "r.key") +
                       ", ?, r.value, ? FROM json_each(?) r WHERE EXISTS (SELECT 1 FROM tickets "
                       "WHERE id = ?) AND " +
                       guard.sql + " ON CONFLICT (ticket_id, room_id) DO NOTHING",
                   {ctx.new_id(), ticket_id, now, dump_json(Json(rooms)), ticket_id}};
  sql::append_params(s.params, guard.params);
  return s;
}

// SELECT tickets (alias t) with their room ids, matching where_sql.
sql::Statement ticket_read(const std::string& where_sql, std::vector<sql::Value> params) {
  static const std::string kSelect =
      "SELECT " + schema::select_list(schema::webapp_schema().table("tickets"), "t") +
      ", (SELECT json_group_array(room_id) FROM (SELECT room_id FROM ticket_rooms WHERE "
      "ticket_id = t.id ORDER BY room_id)) AS room_ids_json FROM tickets t WHERE ";
  return {kSelect + where_sql, std::move(params)};
}

Json ticket_json(const sql::ResultSet& rows, std::size_t index) {
  const sql::Row row(rows, index);
  Json out = schema::row_json(schema::webapp_schema().table("tickets"), row);
  out["roomIds"] = schema::json_array_column(row, "room_ids_json");
  return out;
}

struct TicketFields {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::int64_t> price;
  std::optional<std::string> currency;
  std::optional<std::int64_t> capacity;
  std::optional<std::vector<std::string>> rooms;
};

// The ticket's fields from its validated input: the currency upper-cased (an
// ISO 4217 code), the room ids sorted and without repeats (nullopt: absent).
Result<TicketFields> read_ticket_fields(const contract::Args& args) {
  TicketFields f;
  f.name = args.optional_text("name");
  f.description = args.optional_text("description");
  f.price = args.optional_integer("price");
  f.capacity = args.optional_integer("capacity");
  if (args.optional_text("currency")) {
    Input in(args.json());
    f.currency = orders::currency(in, args.json(), "currency");
    if (!in.ok()) return in.error();
  }
  if (orders::field(args.json(), "roomIds")) {
    std::vector<std::string> ids;
    for (const auto& id : args.items("roomIds")) ids.push_back(id.get<std::string>());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    f.rooms = std::move(ids);
  }
  return f;
}

}  // namespace

// What create_ticket takes and answers (ops/contract.h).
const contract::Contract& create_ticket_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("eventId", "events"), text("name"),
                text("description").max(10'000).optional(),
                integer("price", {.min = 0, .max = orders::kMaxAmount}),
                text("currency", {.min_length = 3, .max_length = 3}).optional(),
                integer("capacity", {.min = 1, .max = 10'000'000}).optional(),
                array("roomIds", of::id("rooms"), kMaxTicketRooms).optional()},
      .output = {row("ticket", "tickets", {array("roomIds", of::id("rooms"))})},
      .summary = "A ticket type of an event, with the rooms it opens.",
  };
  return kContract;
}

OperationTask create_ticket(Context& ctx, Json json) {
  auto args = contract::read(create_ticket_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  auto fields = read_ticket_fields(*args);
  if (!fields.ok()) co_return fields.take_error();
  const TicketFields& f = *fields;
  const auto actor = args->optional_text("actorUserId");
  const std::string event_id = args->text("eventId");

  const auto& tickets = schema::webapp_schema().table("tickets");
  const std::int64_t now = ctx.now_seconds();
  const std::string ticket_id = ctx.new_id();
  const auto event = rbac::EventRef::value(event_id);
  const std::vector<std::string> rooms = f.rooms.value_or(std::vector<std::string>{});
  rbac::Condition ready = rbac::may_act(actor, rbac::permission::kEventManage, event, now);
  const rbac::Condition rooms_ok = rooms_of_event(rooms, event);
  ready.sql += " AND " + rooms_ok.sql;
  sql::append_params(ready.params, rooms_ok.params);

  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kEventManage, now));
  sql::Statement insert = schema::Insert(tickets)
                              .set("id", ticket_id)
                              .set("event_id", event_id)
                              .set("name", *f.name)
                              .set("description", f.description)
                              .set("price", *f.price)
                              .set("currency", f.currency.value_or("USD"))
                              .set("capacity", f.capacity)
                              .set("sold_count", 0)
                              .set("created_at", now)
                              .set("updated_at", now)
                              .only_if({ready.sql, ready.params})
                              .build();
  statements.push_back(std::move(insert));
  statements.push_back(insert_ticket_rooms(ctx, ticket_id, rooms, now, {"1", {}}));
  statements.push_back(ticket_read("t.id = ?", {ticket_id}));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[3].empty()) {
    if (auto refusal =
            rbac::actor_refusal((*done)[0], "event " + event_id, rbac::permission::kEventManage)) {
      co_return *refusal;
    }
    co_return Error::not_found("roomIds: a room is not a room of event " + event_id);
  }
  co_return Json{{"ticket", ticket_json((*done)[3], 0)}};
}

// What update_ticket takes and answers (ops/contract.h).
const contract::Contract& update_ticket_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("id", "tickets"), text("name").optional(),
                text("description").max(10'000).optional(),
                integer("price", {.min = 0, .max = orders::kMaxAmount}).optional(),
                text("currency", {.min_length = 3, .max_length = 3}).optional(),
                integer("capacity", {.min = 1, .max = 10'000'000}).optional(),
                array("roomIds", of::id("rooms"), kMaxTicketRooms).optional()},
      .output = {row("ticket", "tickets", {array("roomIds", of::id("rooms"))})},
      .summary = "Changes a ticket type.",
  };
  return kContract;
}

OperationTask update_ticket(Context& ctx, Json json) {
  auto args = contract::read(update_ticket_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  auto fields = read_ticket_fields(*args);
  if (!fields.ok()) co_return fields.take_error();
  const TicketFields& f = *fields;
  const auto actor = args->optional_text("actorUserId");
  const std::string ticket_id = args->text("id");

  const std::int64_t now = ctx.now_seconds();
  const auto event =
      rbac::EventRef::subquery("SELECT event_id FROM tickets WHERE id = ?", {ticket_id});
  rbac::Condition ready = rbac::may_act(actor, rbac::permission::kEventManage, event, now);
  const rbac::Condition rooms_ok =
      rooms_of_event(f.rooms.value_or(std::vector<std::string>{}), event);
  // Capacity may not drop below what is already sold.
  const rbac::Condition capacity_ok{
      "(? IS NULL OR ? >= (SELECT sold_count FROM tickets WHERE id = ?))",
      {f.capacity, f.capacity, ticket_id}};
  for (const auto* c : {&rooms_ok, &capacity_ok}) {
    ready.sql += " AND " + c->sql;
    sql::append_params(ready.params, c->params);
  }

  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kEventManage, now));
  sql::Statement checks{
      "SELECT " + rooms_ok.sql + " AS rooms_ok, " + capacity_ok.sql + " AS capacity_ok",
      rooms_ok.params};
  sql::append_params(checks.params, capacity_ok.params);
  statements.push_back(std::move(checks));
  if (f.rooms) {
    sql::Statement drop{
        "DELETE FROM ticket_rooms WHERE ticket_id = ? AND room_id NOT IN (SELECT "
        "value FROM json_each(?)) AND " +
            ready.sql,
        {ticket_id, dump_json(Json(*f.rooms))}};
    sql::append_params(drop.params, ready.params);
    statements.push_back(std::move(drop));
    statements.push_back(insert_ticket_rooms(ctx, ticket_id, *f.rooms, now, ready));
  }
  const std::size_t update_at = statements.size();
  sql::Statement update{
      "UPDATE tickets SET name = coalesce(?, name), description = coalesce(?, description), "
      "price = coalesce(?, price), currency = coalesce(?, currency), capacity = coalesce(?, "
      "capacity), updated_at = ? WHERE id = ? AND " +
          ready.sql + " RETURNING id AS id",
      {f.name, f.description, f.price, f.currency, f.capacity, now, ticket_id}};
  sql::append_params(update.params, ready.params);
  statements.push_back(std::move(update));
  statements.push_back(ticket_read("t.id = ?", {ticket_id}));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[update_at].empty()) {
    if (auto refusal = rbac::actor_refusal((*done)[0], "ticket " + ticket_id,
                                           rbac::permission::kEventManage)) {
      co_return *refusal;
    }
    const sql::Row checks_row((*done)[1], 0);
    if (!checks_row.integer("rooms_ok")) {
      co_return Error::not_found("roomIds: a room is not a room of the ticket's event");
    }
    co_return Error::conflict(
        "capacity is below the " +
        std::to_string(sql::Row((*done)[update_at + 1], 0).integer("sold_count")) +
        " tickets already sold");
  }
  co_return Json{{"ticket", ticket_json((*done)[update_at + 1], 0)}};
}

// What delete_ticket takes and answers (ops/contract.h).
const contract::Contract& delete_ticket_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("id", "tickets")},
      .output = {row("deleted", "tickets")},
      .summary = "Deletes a ticket type nobody bought.",
  };
  return kContract;
}

OperationTask delete_ticket(Context& ctx, Json json) {
  auto args = contract::read(delete_ticket_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string ticket_id = args->text("id");

  const auto& tickets = schema::webapp_schema().table("tickets");
  const std::int64_t now = ctx.now_seconds();
  const auto event =
      rbac::EventRef::subquery("SELECT event_id FROM tickets WHERE id = ?", {ticket_id});
  const rbac::Condition may = rbac::may_act(actor, rbac::permission::kEventManage, event, now);
  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kEventManage, now));
  // A sold ticket stays: deleting it would cascade into its buyers' access.
  sql::Statement remove{
      "DELETE FROM tickets WHERE id = ? AND sold_count = 0 AND NOT EXISTS "
      "(SELECT 1 FROM room_access_tickets WHERE ticket_id = ?) AND " +
          may.sql + " RETURNING " + schema::select_list(tickets),
      {ticket_id, ticket_id}};
  sql::append_params(remove.params, may.params);
  statements.push_back(std::move(remove));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) {
    if (auto refusal = rbac::actor_refusal((*done)[0], "ticket " + ticket_id,
                                           rbac::permission::kEventManage)) {
      co_return *refusal;
    }
    co_return Error::conflict("ticket " + ticket_id + " has been sold and cannot be deleted");
  }
  co_return Json{{"deleted", schema::row_json(tickets, sql::Row((*done)[1], 0))}};
}

// What list_tickets takes and answers (ops/contract.h).
const contract::Contract& list_tickets_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("eventId", "events")},
      .output = {array("tickets", of::row("tickets", {array("roomIds", of::id("rooms"))}))},
      .summary = "An event's ticket types.",
  };
  return kContract;
}

OperationTask list_tickets(Context& ctx, Json json) {
  auto args = contract::read(list_tickets_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string event_id = args->text("eventId");

  const std::int64_t now = ctx.now_seconds();
  const auto event = rbac::EventRef::value(event_id);
  const rbac::Condition sees = rbac::sees_event(actor, event, now);
  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kEventView, now));
  // SQLite writes the list as JSON, each ticket as ticket_json would (with
  // its roomIds); the rows are never decoded here.
  static const std::string kList = [] {
    auto fields = schema::json_fields(schema::webapp_schema().table("tickets"), "t");
    fields.push_back({"roomIds", "json(t.room_ids_json)"});
    return "SELECT json_group_array(" + schema::json_object_sql(std::move(fields)) +
           ") AS tickets_json FROM (";
  }();
  sql::Statement read =
      ticket_read("t.event_id = ? AND " + sees.sql + " ORDER BY t.price, t.name, t.id", {event_id});
  read.sql = kList + read.sql + ") t";
  sql::append_params(read.params, sees.params);
  statements.push_back(std::move(read));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if (auto refusal =
          rbac::actor_refusal((*done)[0], "event " + event_id, rbac::permission::kEventView)) {
    co_return *refusal;
  }
  co_return Json{{"tickets", raw_json(sql::Row((*done)[1], 0).text("tickets_json"))}};
}

}  // namespace eventuall::ops
