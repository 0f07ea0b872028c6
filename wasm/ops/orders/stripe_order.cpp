// Stripe `checkout.session.completed` event (or the bare Checkout Session),
// with the session's line_items expanded (a webhook handler fetches them with
// GET /v1/checkout/sessions/:id/line_items): string ids, integer amounts in
// minor units, lower-case currency codes. A line item maps by its price id
// (the variant), then its product id.
#include "ops/orders/normalized_order.h"
#include "ops/orders/payload_fields.h"

namespace eventuall::ops::orders {

Result<NormalizedOrder> parse_stripe_order(const Json& payload) {
  Input event(payload, "payload");
  const Json* session = &payload;
  std::string path = "payload";
  if (field(payload, "type")) {
    const auto type = event.optional_text("type");
    if (type && *type != "checkout.session.completed") {
      event.reject("type", "must be checkout.session.completed (got " + *type + ")");
    }
    Input data(object_field(event, payload, "data"), "payload.data");
    session = field(payload, "data") ? field(*field(payload, "data"), "object") : nullptr;
    if (event.ok() && !session) data.reject("object", "is required");
    event.absorb(data);
    path = "payload.data.object";
  }
  if (!event.ok()) return event.error();

  Input in(*session, path);
  const auto object = in.optional_text("object");
  if (object && *object != "checkout.session") in.reject("object", "must be checkout.session");
  const auto payment_status = in.optional_text("payment_status");
  if (payment_status && *payment_status != "paid" && *payment_status != "no_payment_required") {
    in.reject("payment_status", "must be paid (got " + *payment_status + ")");
  }
  NormalizedOrder order;
  order.external_order_id = external_id(in, *session, "id", true).value_or("");
  order.currency = currency(in, *session, "currency");
  order.total = minor_amount(in, *session, "amount_total", true).value_or(0);
  order.placed_at = in.optional_integer("created", {.min = 0, .max = 253402300799});
  // What charge.refunded names: the session's payment intent (a string, or
  // the expanded object's id).
  if (const Json* intent = field(*session, "payment_intent"); intent && intent->is_object()) {
    Input intent_in(*intent, path + ".payment_intent");
    order.external_payment_id = external_id(intent_in, *intent, "id", true);
    in.absorb(intent_in);
  } else {
    order.external_payment_id = external_id(in, *session, "payment_intent", false);
  }
  const Json& customer = object_field(in, *session, "customer_details");
  if (in.ok()) {
    order.buyer_email = has_text(customer, "email")
                            ? first_email(in, customer, path + ".customer_details", {"email"})
                            : first_email(in, *session, path, {"customer_email"});
  }
  if (in.ok()) {
    Input details(customer, path + ".customer_details");
    order.buyer_name = details.optional_text("name");
    in.absorb(details);
  }
  const Json& list = object_field(in, *session, "line_items");
  Input list_in(list, path + ".line_items");
  if (in.ok() && !field(*session, "line_items")) {
    in.reject("line_items", "is required (expand the session's line_items)");
  }
  const auto items = list_in.array("data", kMaxLineItems);
  if (in.ok() && list_in.ok() && items.empty())
    list_in.reject("data", "must have at least one item");
  in.absorb(list_in);
  for (std::size_t i = 0; i < items.size() && in.ok(); ++i) {
    const std::string item_path = path + ".line_items.data[" + std::to_string(i) + "]";
    Input item(items[i], item_path);
    NormalizedLineItem line;
    line.title = item.optional_text("description", {.max_length = 500});
    line.quantity = item.integer("quantity", {.min = 1, .max = kMaxQuantity});
    const Json& price_json = object_field(item, items[i], "price");
    Input price(price_json, item_path + ".price");
    line.external_variant_id = external_id(price, price_json, "id", true);
    line.external_product_id = external_id(price, price_json, "product", false);
    const auto unit = minor_amount(price, price_json, "unit_amount", false);
    const auto subtotal = minor_amount(item, items[i], "amount_subtotal", false);
    if (item.ok() && price.ok() && field(items[i], "currency")) {
      if (const auto code = currency(item, items[i], "currency");
          item.ok() && code != order.currency) {
        item.reject("currency", "must be the session's currency " + order.currency);
      }
    }
    // unit_amount is null for custom amounts: derive it from the subtotal.
    if (unit) {
      line.unit_price = *unit;
    } else if (subtotal && *subtotal % line.quantity == 0) {
      line.unit_price = *subtotal / line.quantity;
    } else if (item.ok() && price.ok()) {
      price.reject("unit_amount", "is required (or an amount_subtotal divisible by quantity)");
    }
    item.absorb(price);
    in.absorb(item);
    order.line_items.push_back(std::move(line));
  }
  if (!in.ok()) return in.error();
  return order;
}

}  // namespace eventuall::ops::orders
