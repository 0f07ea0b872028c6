// Receive webhook: a verified retailer delivery, for a store connection (or an
// event), does what its signed body says (see parse_delivery): record an
// order, cancel or refund one, or nothing (an event type we do not handle, a
// partial refund). Never from a header: X-Shopify-Topic is not signed.
//
// A delivery with an id (Stripe's event id, from the body; Shopify's
// X-Shopify-Webhook-Id, passed as deliveryId) is noted in retailer_deliveries
// in the same batch as its effect, so a replay is a no-op that reports
// replay:true. Without an id, a replay is still a no-op (orders are unique
// per scope and external id; ending an ended order changes nothing).
//
// A cancellation or refund of an order never recorded here (a store's other
// products, an order none of whose items mapped) is acknowledged as
// {recorded:false}: the retailer must not retry it forever. But a Shopify
// cancellation (an order body) that overtakes its orders/create, for an order
// whose items resolve here, is a conflict with nothing written: the store
// retries it (up to 48 hours), and by then the order is there to cancel. Trusted callers
// only (the Worker, after checking the signature): no actorUserId.
//   {connectionId, retailer, payload, deliveryId?} | {eventId, retailer, payload, deliveryId?}
#include "ops/orders/order_ingest.h"
#include "ops/orders/order_view.h"
#include "ops/orders/orders_operations.h"
#include "schema/queries.h"

namespace eventuall::ops {

// What receive_webhook takes and answers (ops/contract.h).
const contract::Contract& receive_webhook_contract() {
  using namespace contract;
  static const Contract kContract{
      .input = {id("connectionId", "retailer_connections").optional(),
                id("eventId", "events").optional(),
                one_of("retailer", "retailer_connections.retailer"),
                text("deliveryId").max(200).optional(), json("payload")},
      .output = {orders::order_view_output(
          {values("action", {"order", "cancel", "refund", "ignored"}), text("kind").optional(),
           boolean("recorded").optional(),
           boolean("created").optional(), boolean("changed").optional(),
           boolean("replay").optional(), integer("revokedGrants").optional()},
          /*all_optional=*/true)},
      .summary = "A retailer's webhook delivery: verified, deduplicated and applied.",
  };
  return kContract;
}

OperationTask receive_webhook(Context& ctx, Json json) {
  auto args = contract::read(receive_webhook_contract().input, std::move(json));
  if (!args.ok()) co_return args.take_error();
  const auto connection_id = args->optional_text("connectionId");
  const std::string event_id = connection_id ? std::string() : args->text("eventId");
  if (!connection_id && event_id.empty()) co_return Error::invalid_input("eventId is required");
  const std::string retailer = args->text("retailer");
  auto delivery_id = args->optional_text("deliveryId");
  auto payload = orders::read_order_payload(args->json());
  if (!payload.ok()) co_return payload.take_error();
  auto parsed = orders::parse_delivery(retailer, *payload);
  if (!parsed.ok()) co_return parsed.take_error();
  orders::Delivery delivery = std::move(parsed).value();
  // The signed body's own id wins over any header's.
  if (delivery.delivery_id) delivery_id = delivery.delivery_id;

  const char* action = orders::action_name(delivery.action);
  if (delivery.action == orders::DeliveryAction::kIgnored) {
    co_return Json{{"action", action}, {"kind", delivery.kind}, {"recorded", false}};
  }
  orders::IngestTarget target{retailer, std::nullopt, event_id, connection_id.value_or("")};
  std::optional<orders::DeliveryNote> note;
  if (delivery_id) note = orders::DeliveryNote{retailer, target.scope(), *delivery_id, action};

  if (delivery.action == orders::DeliveryAction::kOrder) {
    auto out = co_await orders::record_order(ctx, std::move(target), std::move(delivery.order),
                                             std::move(note));
    if (!out.ok()) co_return out;
    Json value = std::move(out).value();
    value["action"] = action;
    co_return value;
  }

  // Cancel or refund: the order by its id, or (a Stripe refund) by its payment.
  const sql::Statement scope = target.scope();
  orders::OrderKey key;
  key.conditions = {{"retailer", "?"}, {"scope_id", scope.sql}};
  key.params = {retailer};
  sql::append_params(key.params, scope.params);
  if (delivery.external_payment_id) {
    key.conditions.push_back({"external_payment_id", "?"});
    key.params.push_back(*delivery.external_payment_id);
    key.description = retailer + " payment " + *delivery.external_payment_id;
  } else {
    key.conditions.push_back({"external_order_id", "?"});
    key.params.push_back(delivery.external_order_id);
    key.description = retailer + " order " + delivery.external_order_id;
  }
  const std::string status =
      delivery.action == orders::DeliveryAction::kRefund ? "refunded" : "cancelled";
  auto out =
      co_await orders::end_order(ctx, std::nullopt, std::move(key), status, std::move(note), true);
  if (!out.ok() && out.error().code() == ErrorCode::kNotFound && delivery.carries_order) {
    // A Shopify cancellation that overtook its order: if the order would be
    // recorded here (an item resolves), refuse it so the store retries after
    // its orders/create; otherwise it is not ours, and acknowledged below.
    Json all_keys = Json::array();
    for (const auto& item : delivery.order.line_items) all_keys.push_back(orders::match_keys(item));
    const sql::Statement resolved = target.resolved_ticket(
        {"item.value", {}}, delivery.order.placed_at.value_or(ctx.now_seconds()));
    sql::Statement resolves{"SELECT EXISTS (SELECT 1 FROM json_each(?) item WHERE " + resolved.sql +
                                " IS NOT NULL) AS resolves",
                            {dump_json(all_keys)}};
    sql::append_params(resolves.params, resolved.params);
    std::vector<sql::Statement> read;
    read.push_back(std::move(resolves));
    auto facts = co_await ctx.run(sql::Database::kWebapp, std::move(read));
    if (!facts.ok()) co_return facts.take_error();
    if (sql::Row((*facts)[0], 0).integer("resolves")) {
      co_return Error::conflict(retailer + " order " + delivery.external_order_id +
                                " is not recorded yet: its cancellation must be retried after "
                                "the order itself");
    }
  }
  if (!out.ok()) {
    if (out.error().code() != ErrorCode::kNotFound) co_return out;
    co_return Json{{"action", action}, {"recorded", false}, {"order", nullptr}, {"changed", false}};
  }
  Json value = std::move(out).value();
  value["action"] = action;
  value["recorded"] = true;
  co_return value;
}

}  // namespace eventuall::ops
