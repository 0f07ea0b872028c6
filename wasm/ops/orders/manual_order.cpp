// A manual order entered by an organiser: the organiser's own reference (the
// idempotency key), the buyer, and internal tickets with quantities and the
// price actually charged (comps are 0).
//   {reference, email, name?, currency, placedAt?, items: [{ticketId, quantity, unitPrice}]}
#include "ops/orders/normalized_order.h"
#include "ops/orders/payload_fields.h"

namespace eventuall::ops::orders {

Result<NormalizedOrder> parse_manual_order(const Json& payload) {
  Input in(payload, "payload");
  NormalizedOrder order;
  order.external_order_id = in.text("reference");
  order.buyer_email = in.email("email");
  order.buyer_name = in.optional_text("name");
  order.currency = currency(in, payload, "currency");
  order.placed_at = in.optional_integer("placedAt", {.min = 0, .max = 253402300799});
  const auto items = in.array("items", kMaxLineItems);
  if (in.ok() && items.empty()) in.reject("items", "must have at least one item");
  for (std::size_t i = 0; i < items.size() && in.ok(); ++i) {
    Input item(items[i], "payload.items[" + std::to_string(i) + "]");
    NormalizedLineItem line;
    line.ticket_id = item.id("ticketId");
    line.title = item.optional_text("title", {.max_length = 500});
    line.quantity = item.integer("quantity", {.min = 1, .max = kMaxQuantity});
    line.unit_price = item.integer("unitPrice", {.min = 0, .max = kMaxAmount});
    in.absorb(item);
    // The total stays within kMaxAmount, so the product below cannot overflow.
    if (in.ok() && line.unit_price > (kMaxAmount - order.total) / line.quantity) {
      in.reject("items", "total is too large");
    }
    order.total += line.quantity * line.unit_price;
    order.line_items.push_back(std::move(line));
  }
  if (!in.ok()) return in.error();
  return order;
}

}  // namespace eventuall::ops::orders
