// External SKU mappings, scoped per event: (event, retailer, external id) ->
// one internal ticket. The same external product (a Shopify product reused by
// a recurring series) maps to a different ticket in each event. An external id
// maps to at most one ticket within an event: mapping it again to the same
// ticket is a no-op, to another ticket a conflict. Needs event.manage.
// salesStartsAt/salesEndsAt (unix seconds, optional) bound when the mapping
// sells, [start, end): through a store connection, a product mapped in several
// events of the account resolves to the one mapping whose window holds the
// order's time (see IngestTarget in order_sql.h).
#include "ops/contract.h"
#include "ops/orders/orders_operations.h"
#include "ops/rbac/actor_facts.h"
#include "schema/queries.h"
#include "schema/row_json.h"

namespace eventuall::ops {

// What create_sku_mapping takes and answers (ops/contract.h).
const contract::Contract& create_sku_mapping_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("eventId", "events"),
                one_of("retailer", "external_sku_mappings.retailer"), text("externalId"),
                id("ticketId", "tickets"),
                integer("salesStartsAt", {.min = 0, .max = 253402300799}).optional(),
                integer("salesEndsAt", {.min = 0, .max = 253402300799}).optional()},
      .output = {boolean("created"), row("mapping", "external_sku_mappings")},
      .summary = "Maps a retailer's product to a ticket type.",
  };
  return kContract;
}

OperationTask create_sku_mapping(Context& ctx, Json json) {
  auto args = contract::read(create_sku_mapping_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string event_id = args->text("eventId");
  const auto& mappings = schema::webapp_schema().table("external_sku_mappings");
  const std::string retailer = args->text("retailer");
  const std::string external_id = args->text("externalId");
  const std::string ticket_id = args->text("ticketId");
  const auto sales_starts_at = args->optional_integer("salesStartsAt");
  const auto sales_ends_at = args->optional_integer("salesEndsAt");
  if (sales_starts_at && sales_ends_at && *sales_ends_at <= *sales_starts_at) {
    co_return Error::invalid_input("salesEndsAt must be after salesStartsAt");
  }

  const std::int64_t now = ctx.now_seconds();
  const auto event = rbac::EventRef::value(event_id);
  rbac::Condition ready = rbac::may_act(actor, rbac::permission::kEventManage, event, now);
  const std::string ticket_of_event =
      "EXISTS (SELECT 1 FROM tickets WHERE id = ? AND event_id = ?)";
  ready.sql += " AND " + ticket_of_event;
  ready.params.insert(ready.params.end(), {ticket_id, event_id});

  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kEventManage, now));
  statements.push_back(schema::Insert(mappings)
                           .set("id", ctx.new_id())
                           .set("event_id", event_id)
                           .set("retailer", retailer)
                           .set("external_id", external_id)
                           .set("ticket_id", ticket_id)
                           .set("created_at", now)
                           .set("sales_starts_at", sales_starts_at)
                           .set("sales_ends_at", sales_ends_at)
                           .only_if({ready.sql, ready.params})
                           .ignore_conflicts()
                           .returning_row()
                           .build());
  statements.push_back({"SELECT " + schema::select_list(mappings) +
                            " FROM external_sku_mappings WHERE event_id = ? AND retailer = ? AND "
                            "external_id = ?",
                        {event_id, retailer, external_id}});
  statements.push_back({"SELECT " + ticket_of_event + " AS ticket_ok", {ticket_id, event_id}});

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if (!(*done)[1].empty()) {
    co_return Json{{"mapping", schema::row_json(mappings, sql::Row((*done)[1], 0))},
                   {"created", true}};
  }
  if (auto refusal =
          rbac::actor_refusal((*done)[0], "event " + event_id, rbac::permission::kEventManage)) {
    co_return *refusal;
  }
  if (!sql::Row((*done)[3], 0).integer("ticket_ok")) {
    co_return Error::not_found("ticket " + ticket_id + " is not a ticket of event " + event_id);
  }
  const sql::Row existing((*done)[2], 0);
  if (existing.text("ticket_id") != ticket_id) {
    co_return Error::conflict(retailer + " id " + external_id +
                              " already maps to another ticket of this event");
  }
  co_return Json{{"mapping", schema::row_json(mappings, existing)}, {"created", false}};
}

// What list_sku_mappings takes and answers (ops/contract.h).
const contract::Contract& list_sku_mappings_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("eventId", "events"),
                one_of("retailer", "external_sku_mappings.retailer").optional()},
      .output = {array("mappings", of::row("external_sku_mappings"))},
      .summary = "An event's SKU mappings.",
  };
  return kContract;
}

OperationTask list_sku_mappings(Context& ctx, Json json) {
  auto args = contract::read(list_sku_mappings_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string event_id = args->text("eventId");
  const auto& mappings = schema::webapp_schema().table("external_sku_mappings");
  const auto retailer = args->optional_text("retailer");

  const std::int64_t now = ctx.now_seconds();
  const auto event = rbac::EventRef::value(event_id);
  const rbac::Condition may = rbac::may_act(actor, rbac::permission::kEventManage, event, now);
  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kEventManage, now));
  sql::Statement read{"SELECT " + schema::select_list(mappings) +
                          " FROM external_sku_mappings WHERE event_id = ? AND (? IS NULL OR "
                          "retailer = ?) AND " +
                          may.sql + " ORDER BY retailer, external_id",
                      {event_id, retailer, retailer}};
  sql::append_params(read.params, may.params);
  statements.push_back(std::move(read));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if (auto refusal =
          rbac::actor_refusal((*done)[0], "event " + event_id, rbac::permission::kEventManage)) {
    co_return *refusal;
  }
  co_return Json{{"mappings", schema::rows_json(mappings, (*done)[1])}};
}

// What delete_sku_mapping takes and answers (ops/contract.h).
const contract::Contract& delete_sku_mapping_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {actor().optional(), id("id", "external_sku_mappings")},
      .output = {row("deleted", "external_sku_mappings")},
      .summary = "Deletes a SKU mapping.",
  };
  return kContract;
}

OperationTask delete_sku_mapping(Context& ctx, Json json) {
  auto args = contract::read(delete_sku_mapping_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  const std::string mapping_id = args->text("id");

  const auto& mappings = schema::webapp_schema().table("external_sku_mappings");
  const std::int64_t now = ctx.now_seconds();
  const auto event = rbac::EventRef::subquery(
      "SELECT event_id FROM external_sku_mappings WHERE id = ?", {mapping_id});
  const rbac::Condition may = rbac::may_act(actor, rbac::permission::kEventManage, event, now);
  std::vector<sql::Statement> statements;
  // Before the delete: afterwards the mapping, and so its event, is gone.
  statements.push_back(rbac::actor_facts(actor, event, rbac::permission::kEventManage, now));
  sql::Statement remove{"DELETE FROM external_sku_mappings WHERE id = ? AND " + may.sql +
                            " RETURNING " + schema::select_list(mappings),
                        {mapping_id}};
  sql::append_params(remove.params, may.params);
  statements.push_back(std::move(remove));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) {
    if (auto refusal = rbac::actor_refusal((*done)[0], "mapping " + mapping_id,
                                           rbac::permission::kEventManage)) {
      co_return *refusal;
    }
    co_return Error::not_found("mapping " + mapping_id + " not found");
  }
  co_return Json{{"deleted", schema::row_json(mappings, sql::Row((*done)[1], 0))}};
}

}  // namespace eventuall::ops
