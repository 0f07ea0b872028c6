// What a webhook delivery asks for, from its signed body alone (see
// normalized_order.h): Shopify order bodies (cancelled_at set: a
// cancellation) and refund bodies, Stripe events by their type, Eventbrite
// orders.
#include "ops/orders/normalized_order.h"
#include "ops/orders/payload_fields.h"

namespace eventuall::ops::orders {

namespace {

Result<Delivery> shopify_delivery(const Json& payload) {
  Input in(payload, "payload");
  Delivery delivery;
  // refunds/create: {id, order_id, refund_line_items, transactions, ...}.
  if (field(payload, "refund_line_items") ||
      (field(payload, "order_id") && !field(payload, "line_items"))) {
    delivery.action = DeliveryAction::kRefund;
    delivery.kind = "refund";
    delivery.external_order_id = external_id(in, payload, "order_id", true).value_or("");
    if (!in.ok()) return in.error();
    return delivery;
  }
  // An order body (orders/create, orders/paid, orders/updated, orders/cancelled).
  if (field(payload, "cancelled_at")) {
    delivery.action = DeliveryAction::kCancel;
    delivery.kind = "cancelled order";
    delivery.external_order_id = external_id(in, payload, "id", true).value_or("");
    iso_timestamp(in, payload, "cancelled_at");
    if (!in.ok()) return in.error();
    // The cancelled order itself, for a cancellation that overtakes its order.
    if (auto order = parse_shopify_order(payload); order.ok()) {
      delivery.order = std::move(order).value();
      delivery.carries_order = true;
    }
    return delivery;
  }
  auto order = parse_shopify_order(payload);
  if (!order.ok()) return order.take_error();
  delivery.action = DeliveryAction::kOrder;
  delivery.kind = "order";
  delivery.order = std::move(order).value();
  return delivery;
}

Result<Delivery> stripe_delivery(const Json& payload) {
  Input in(payload, "payload");
  Delivery delivery;
  // A bare Checkout Session (no event around it) is an order, as ingest_order takes it.
  if (!field(payload, "type")) {
    auto order = parse_stripe_order(payload);
    if (!order.ok()) return order.take_error();
    delivery.action = DeliveryAction::kOrder;
    delivery.kind = "checkout.session";
    delivery.order = std::move(order).value();
    return delivery;
  }
  delivery.kind = in.text("type", {.max_length = 200});
  delivery.delivery_id = in.text("id", {.max_length = 200});
  if (!in.ok()) return in.error();
  if (delivery.kind == "checkout.session.completed") {
    auto order = parse_stripe_order(payload);
    if (!order.ok()) return order.take_error();
    delivery.action = DeliveryAction::kOrder;
    delivery.order = std::move(order).value();
    return delivery;
  }
  if (delivery.kind == "charge.refunded") {
    const Json& data_json = object_field(in, payload, "data");
    Input data(data_json, "payload.data");
    const Json& charge = object_field(data, data_json, "object");
    Input charge_in(charge, "payload.data.object");
    if (in.ok() && data.ok() && !field(data_json, "object")) data.reject("object", "is required");
    in.absorb(data);
    delivery.external_payment_id = external_id(charge_in, charge, "payment_intent", true);
    const Json* refunded = field(charge, "refunded");
    if (refunded && !refunded->is_boolean()) charge_in.reject("refunded", "must be a boolean");
    in.absorb(charge_in);
    if (!in.ok()) return in.error();
    // A partial refund leaves the order paid and its access in place.
    delivery.action =
        refunded && refunded->get<bool>() ? DeliveryAction::kRefund : DeliveryAction::kIgnored;
    if (delivery.action == DeliveryAction::kIgnored) delivery.kind = "charge.refunded (partial)";
    return delivery;
  }
  delivery.action = DeliveryAction::kIgnored;
  return delivery;
}

}  // namespace

const char* action_name(DeliveryAction action) {
  switch (action) {
    case DeliveryAction::kOrder:
      return "order";
    case DeliveryAction::kCancel:
      return "cancel";
    case DeliveryAction::kRefund:
      return "refund";
    case DeliveryAction::kIgnored:
      return "ignored";
  }
  return "ignored";
}

Result<Delivery> parse_delivery(const std::string& retailer, const Json& payload) {
  if (retailer == "shopify") return shopify_delivery(payload);
  if (retailer == "stripe") return stripe_delivery(payload);
  if (retailer == "eventbrite") {
    auto order = parse_eventbrite_order(payload);
    if (!order.ok()) return order.take_error();
    Delivery delivery;
    delivery.action = DeliveryAction::kOrder;
    delivery.kind = "order";
    delivery.order = std::move(order).value();
    return delivery;
  }
  return Error::invalid_input("retailer must be one of: shopify, eventbrite, stripe");
}

}  // namespace eventuall::ops::orders
