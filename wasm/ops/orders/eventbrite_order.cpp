// Eventbrite order (GET /v3/orders/:id/?expand=attendees, as the order webhook's
// api_url returns it): string ids, money as {currency, value} in minor units,
// one attendee per ticket with its ticket_class_id and profile. Each attendee
// becomes one line item mapped by its ticket class, whose access goes to the
// attendee's profile email (the buyer's when the profile has none).
//
// Prices: costs.gross, else costs.base_price; an attendee with neither is
// priced 0 and still recorded (a paid order is never refused for a missing
// price). The order's currency is its own costs', else its first priced
// attendee's.
#include "ops/orders/normalized_order.h"
#include "ops/orders/payload_fields.h"

namespace eventuall::ops::orders {

namespace {

struct EventbriteMoney {
  std::string currency;
  std::int64_t value = 0;
};

// costs.gross (else costs.base_price) of an order or an attendee; nullopt when
// it has neither. path names the owner in messages.
std::optional<EventbriteMoney> eventbrite_price(Input& in, const Json& owner,
                                                const std::string& path) {
  Input owner_in(owner, path);
  const Json& costs = object_field(owner_in, owner, "costs");
  in.absorb(owner_in);
  const char* name = field(costs, "gross")        ? "gross"
                     : field(costs, "base_price") ? "base_price"
                                                  : nullptr;
  if (!in.ok() || !name) return std::nullopt;
  Input costs_in(costs, path + ".costs");
  const Json& money_json = object_field(costs_in, costs, name);
  Input money_in(money_json, path + ".costs." + name);
  EventbriteMoney money;
  money.currency = currency(money_in, money_json, "currency");
  money.value = minor_amount(money_in, money_json, "value", true).value_or(0);
  in.absorb(costs_in);
  in.absorb(money_in);
  if (!in.ok()) return std::nullopt;
  return money;
}

}  // namespace

Result<NormalizedOrder> parse_eventbrite_order(const Json& payload) {
  Input in(payload, "payload");
  NormalizedOrder order;
  order.external_order_id = external_id(in, payload, "id", true).value_or("");
  const auto status = in.optional_text("status");
  if (status && *status != "placed") in.reject("status", "must be placed (got " + *status + ")");
  const auto total = eventbrite_price(in, payload, "payload");
  order.placed_at = iso_timestamp(in, payload, "created");
  if (in.ok()) order.buyer_email = first_email(in, payload, "payload", {"email"});
  order.buyer_name = in.optional_text("name");
  const auto attendees = in.array("attendees", kMaxLineItems);
  if (in.ok() && attendees.empty()) in.reject("attendees", "must have at least one attendee");
  std::vector<std::optional<EventbriteMoney>> prices;
  for (std::size_t i = 0; i < attendees.size() && in.ok(); ++i) {
    const std::string path = "payload.attendees[" + std::to_string(i) + "]";
    Input attendee(attendees[i], path);
    NormalizedLineItem line;
    line.external_product_id = external_id(attendee, attendees[i], "ticket_class_id", true);
    line.title = attendee.optional_text("ticket_class_name", {.max_length = 500});
    line.quantity =
        attendee.optional_integer("quantity", {.min = 1, .max = kMaxQuantity}).value_or(1);
    const Json& profile = object_field(attendee, attendees[i], "profile");
    if (attendee.ok() && has_text(profile, "email")) {
      line.holder_email = first_email(attendee, profile, path + ".profile", {"email"});
      Input profile_in(profile, path + ".profile");
      line.holder_name = profile_in.optional_text("name");
      attendee.absorb(profile_in);
    }
    prices.push_back(eventbrite_price(attendee, attendees[i], path));
    in.absorb(attendee);
    order.line_items.push_back(std::move(line));
  }
  if (!in.ok()) return in.error();

  // The currency: the order's own, else its first priced attendee's.
  if (total) {
    order.currency = total->currency;
  } else {
    for (const auto& price : prices) {
      if (price) {
        order.currency = price->currency;
        break;
      }
    }
  }
  if (order.currency.empty()) {
    in.reject("costs", "is required: no price anywhere in the order names its currency");
    return in.error();
  }
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < prices.size(); ++i) {
    if (!prices[i]) continue;
    if (prices[i]->currency != order.currency) {
      in.reject("attendees[" + std::to_string(i) + "].costs",
                "must be in the order's currency " + order.currency);
      return in.error();
    }
    order.line_items[i].unit_price = prices[i]->value;
    if (prices[i]->value > kMaxAmount - sum) {
      in.reject("attendees", "total is too large");
      return in.error();
    }
    sum += prices[i]->value;
  }
  order.total = total ? total->value : sum;
  return order;
}

}  // namespace eventuall::ops::orders
