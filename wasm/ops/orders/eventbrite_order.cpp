// Eventbrite order (GET /v3/orders/:id/?expand=attendees, as the order webhook's
// api_url returns it): string ids, money as {currency, value} in minor units,
// one attendee per ticket with its ticket_class_id. Each attendee becomes one
// line item mapped by its ticket class; the buyer (the order's email) gets the
// access.
#include "ops/orders/normalized_order.h"
#include "ops/orders/payload_fields.h"

namespace eventuall::ops::orders {

namespace {

struct Money {
  std::string currency;
  std::int64_t value = 0;
};

// costs.gross of an order or of an attendee (path names it in messages).
Money gross(Input& in, const Json& owner, const std::string& path) {
  Input owner_in(owner, path);
  const Json& costs = object_field(owner_in, owner, "costs");
  Input costs_in(costs, path + ".costs");
  if (owner_in.ok() && !field(costs, "gross")) costs_in.reject("gross", "is required");
  const Json& gross_json = object_field(costs_in, costs, "gross");
  Input gross_in(gross_json, path + ".costs.gross");
  Money money;
  money.currency = currency(gross_in, gross_json, "currency");
  money.value = minor_amount(gross_in, gross_json, "value", true).value_or(0);
  in.absorb(owner_in);
  in.absorb(costs_in);
  in.absorb(gross_in);
  return money;
}

}  // namespace

Result<NormalizedOrder> parse_eventbrite_order(const Json& payload) {
  Input in(payload, "payload");
  NormalizedOrder order;
  order.external_order_id = external_id(in, payload, "id", true).value_or("");
  const auto status = in.optional_text("status");
  if (status && *status != "placed") in.reject("status", "must be placed (got " + *status + ")");
  const Money total = gross(in, payload, "payload");
  order.currency = total.currency;
  order.total = total.value;
  order.placed_at = iso_timestamp(in, payload, "created");
  if (in.ok()) order.buyer_email = first_email(in, payload, "payload", {"email"});
  order.buyer_name = in.optional_text("name");
  const auto attendees = in.array("attendees", kMaxLineItems);
  if (in.ok() && attendees.empty()) in.reject("attendees", "must have at least one attendee");
  for (std::size_t i = 0; i < attendees.size() && in.ok(); ++i) {
    const std::string path = "payload.attendees[" + std::to_string(i) + "]";
    Input attendee(attendees[i], path);
    NormalizedLineItem line;
    line.external_product_id = external_id(attendee, attendees[i], "ticket_class_id", true);
    line.title = attendee.optional_text("ticket_class_name", {.max_length = 500});
    line.quantity =
        attendee.optional_integer("quantity", {.min = 1, .max = kMaxQuantity}).value_or(1);
    const Money price = gross(attendee, attendees[i], path);
    if (attendee.ok() && price.currency != order.currency) {
      attendee.reject("costs.gross.currency", "must be the order's currency " + order.currency);
    }
    line.unit_price = price.value;
    in.absorb(attendee);
    order.line_items.push_back(std::move(line));
  }
  if (!in.ok()) return in.error();
  return order;
}

}  // namespace eventuall::ops::orders
