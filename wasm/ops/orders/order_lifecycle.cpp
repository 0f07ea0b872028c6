// Refund and cancel: the order stops being paid and loses exactly the access it
// issued — its room access tickets are revoked, the grants carrying its
// order_id deleted, its pending invitations revoked, its tickets' sold_count
// given back — in one atomic batch. revokedGrants counts both, grants and
// pending invitations: the tenant sees how much access ended, not whether
// its holder had a user. A grant of the same role given another way
// (manual, invitation, another order) is a separate row and stays.
//
// Every write is guarded by "the order is still paid and the caller may
// manage it", and the status change runs last, so a second refund (a replayed
// webhook) finds nothing to do and reports changed:false.
#include "ops/orders/order_ingest.h"
#include "ops/orders/order_sql.h"
#include "ops/orders/order_view.h"
#include "ops/orders/orders_operations.h"
#include "ops/rbac/actor_facts.h"

namespace eventuall::ops {

namespace orders {

OperationTask end_order(Context& ctx, std::optional<std::string> actor, OrderKey key,
                        std::string status, std::optional<DeliveryNote> note,
                        bool settled_is_noop) {
  const std::int64_t now = ctx.now_seconds();
  const sql::Statement target = key.id_subquery();
  const rbac::Condition may =
      rbac::may_act(actor, rbac::permission::kOrderManage, key.event(), now);
  // "Still paid, and the caller may": the guard of every write.
  std::string guard = "EXISTS (SELECT 1 FROM orders go WHERE go.id = " + target.sql +
                      " AND go.status = 'paid') AND " + may.sql;
  std::vector<sql::Value> guard_params = target.params;
  sql::append_params(guard_params, may.params);

  // "<write> WHERE order_id = <target><condition> AND <guard><tail>".
  auto over_order = [&](std::string write, std::string condition, std::string tail) {
    sql::Statement s{
        std::move(write) + " WHERE order_id = " + target.sql + condition + " AND " + guard + tail,
        target.params};
    sql::append_params(s.params, guard_params);
    return s;
  };

  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, key.event(), rbac::permission::kOrderManage, now));
  // Capacity back; max() keeps a hand-edited count from aborting the refund.
  sql::Statement give_back{
      "UPDATE tickets SET sold_count = max(0, sold_count - (SELECT sum(li.quantity) FROM "
      "order_line_items li WHERE li.order_id = " +
          target.sql +
          " AND li.ticket_id = tickets.id AND li.fulfilment = 'issued')), updated_at = ? WHERE id "
          "IN (SELECT li.ticket_id FROM order_line_items li WHERE li.fulfilment = 'issued' AND "
          "li.order_id = " +
          target.sql + ") AND " + guard,
      target.params};
  give_back.params.push_back(now);
  sql::append_params(give_back.params, target.params);
  sql::append_params(give_back.params, guard_params);
  statements.push_back(std::move(give_back));
  statements.push_back(over_order("UPDATE room_access_tickets SET status = 'revoked'",
                                  " AND status = 'active'", ""));
  const std::size_t grants_at = statements.size();
  statements.push_back(over_order("DELETE FROM access_grants", "", " RETURNING id AS id"));
  const std::size_t invitations_at = statements.size();
  statements.push_back(over_order("UPDATE invitations SET status = 'revoked'",
                                  " AND status = 'pending'", " RETURNING id AS id"));
  // The delivery, noted beside the order it names (an unknown order: nothing).
  std::optional<std::size_t> note_at;
  if (note) {
    sql::Statement insert_note{
        "INSERT INTO retailer_deliveries (id, retailer, scope_id, delivery_id, action, "
        "external_order_id, order_id, created_at) SELECT ?, ?, " +
            note->scope.sql + ", ?, ?, o.external_order_id, o.id, ? FROM orders o WHERE o.id = " +
            target.sql + " ON CONFLICT DO NOTHING RETURNING id AS id",
        {ctx.new_id(), note->retailer}};
    sql::append_params(insert_note.params, note->scope.params);
    insert_note.params.insert(insert_note.params.end(), {note->delivery_id, note->action, now});
    sql::append_params(insert_note.params, target.params);
    note_at = statements.size();
    statements.push_back(std::move(insert_note));
  }
  const std::size_t order_at = statements.size();
  sql::Statement mark{"UPDATE orders SET status = ?, updated_at = ? WHERE id = " + target.sql +
                          " AND status = 'paid' AND " + may.sql + " RETURNING id AS id",
                      {status, now}};
  sql::append_params(mark.params, target.params);
  sql::append_params(mark.params, may.params);
  statements.push_back(std::move(mark));
  const std::size_t read_at = statements.size();
  statements.push_back(order_read("o.id = " + target.sql, target.params));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  const bool changed = !(*done)[order_at].empty();
  if (!changed) {
    if ((*done)[read_at].empty()) co_return Error::not_found(key.description + " not found");
    if (auto refusal =
            rbac::actor_refusal((*done)[0], key.description, rbac::permission::kOrderManage)) {
      co_return *refusal;
    }
  }
  Json out = order_json((*done)[read_at]);
  const std::string now_status = out["order"].value("status", std::string());
  if (!changed && now_status != status && !settled_is_noop) {
    co_return Error::conflict(key.description + " is " + now_status + ", it cannot become " +
                              status);
  }
  out["changed"] = changed;
  // Grants and pending invitations alike: which of the two an order's access
  // was tells whether the holder's email is a verified user's.
  out["revokedGrants"] = (*done)[grants_at].size() + (*done)[invitations_at].size();
  if (note_at) out["replay"] = !changed && (*done)[*note_at].empty();
  co_return out;
}

}  // namespace orders

namespace {

OperationTask end_order_operation(Context& ctx, Json json, const contract::Contract& declared,
                                  std::string status) {
  auto args = contract::read(declared.input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  auto key = orders::read_order_key(*args);
  if (!key.ok()) co_return key.take_error();
  co_return co_await orders::end_order(ctx, args->optional_text("actorUserId"),
                                       std::move(key).value(), std::move(status), std::nullopt,
                                       false);
}

// What read_order_key reads: the order's id, or its retailer and external id.
contract::Fields order_key_input() {
  using namespace contract;
  return {actor().optional(), id("orderId", "orders").optional(),
         one_of("retailer", "orders.retailer").optional(),
         text("externalOrderId").optional(), id("eventId", "events").optional(),
         id("connectionId", "retailer_connections").optional()};
}

// What refund_order and cancel_order take and answer.
contract::Contract ended_order_contract(std::string summary) {
  using namespace contract;
  return {.input = order_key_input(),
          .output = orders::order_view_output(
              {boolean("changed"), integer("revokedGrants")}),
          .summary = std::move(summary)};
}

}  // namespace

// What refund_order takes and answers (ops/contract.h).
const contract::Contract& refund_order_contract() {
  static const contract::Contract kContract = ended_order_contract("Refunds an order and revokes what it issued.");
  return kContract;
}

OperationTask refund_order(Context& ctx, Json json) {
  return end_order_operation(ctx, std::move(json), refund_order_contract(), "refunded");
}

// What cancel_order takes and answers (ops/contract.h).
const contract::Contract& cancel_order_contract() {
  static const contract::Contract kContract = ended_order_contract("Cancels an order and revokes what it issued.");
  return kContract;
}

OperationTask cancel_order(Context& ctx, Json json) {
  return end_order_operation(ctx, std::move(json), cancel_order_contract(), "cancelled");
}

// What get_order takes and answers (ops/contract.h).
const contract::Contract& get_order_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = order_key_input(),
      .output = {orders::order_view_output({})},
      .summary = "An order with what it issued.",
  };
  return kContract;
}

OperationTask get_order(Context& ctx, Json json) {
  auto args = contract::read(get_order_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto actor = args->optional_text("actorUserId");
  auto read_key = orders::read_order_key(*args);
  if (!read_key.ok()) co_return read_key.take_error();
  const orders::OrderKey key = std::move(read_key).value();

  const std::int64_t now = ctx.now_seconds();
  const rbac::Condition may = rbac::may_act(actor, rbac::permission::kOrderManage,
                                            rbac::EventRef::column_of("o.event_id"), now);
  std::vector<sql::Statement> statements;
  statements.push_back(rbac::actor_facts(actor, key.event(), rbac::permission::kOrderManage, now));
  sql::Statement read = orders::order_read(key.where("o") + " AND " + may.sql, key.params);
  sql::append_params(read.params, may.params);
  statements.push_back(std::move(read));

  auto done = co_await ctx.run(sql::Database::kWebapp, std::move(statements));
  if (!done.ok()) co_return done.take_error();
  if ((*done)[1].empty()) {
    if (auto refusal =
            rbac::actor_refusal((*done)[0], key.description, rbac::permission::kOrderManage)) {
      co_return *refusal;
    }
    co_return Error::not_found(key.description + " not found");
  }
  co_return orders::order_json((*done)[1]);
}

}  // namespace eventuall::ops
