// Shopify `orders/create` webhook body: the order resource as JSON. Ids are
// 64-bit integers (exact here: the core parses the raw body), money is decimal
// strings in the shop currency ("25.00"), the buyer is `email` (or
// `contact_email`, or the customer's email).
#include "common/for_size.h"
#include "ops/orders/normalized_order.h"
#include "ops/orders/payload_fields.h"

EVENTUALL_FOR_SIZE_BEGIN

namespace eventuall::ops::orders {

namespace {

std::optional<std::string> buyer_name(Input& in, const Json& payload) {
  Input customer(object_field(in, payload, "customer"), "payload.customer");
  const auto first = customer.optional_text("first_name");
  const auto last = customer.optional_text("last_name");
  in.absorb(customer);
  if (first && last) return *first + " " + *last;
  if (first || last) return first ? first : last;
  Input billing(object_field(in, payload, "billing_address"), "payload.billing_address");
  auto name = billing.optional_text("name");
  in.absorb(billing);
  return name;
}

}  // namespace

Result<NormalizedOrder> parse_shopify_order(const Json& payload) {
  Input in(payload, "payload");
  NormalizedOrder order;
  order.external_order_id = external_id(in, payload, "id", true).value_or("");
  order.currency = currency(in, payload, "currency");
  if (in.ok())
    order.total = decimal_amount(in, payload, "total_price", order.currency, true).value_or(0);
  order.placed_at = iso_timestamp(in, payload, "created_at");
  // The order-level email may be blank while the customer has one.
  const Json& customer = object_field(in, payload, "customer");
  if (in.ok()) {
    order.buyer_email = has_text(payload, "email") || has_text(payload, "contact_email")
                            ? first_email(in, payload, "payload", {"email", "contact_email"})
                            : first_email(in, customer, "payload.customer", {"email"});
  }
  if (in.ok()) order.buyer_name = buyer_name(in, payload);
  const auto items = in.array("line_items", kMaxLineItems);
  if (in.ok() && items.empty()) in.reject("line_items", "must have at least one item");
  for (std::size_t i = 0; i < items.size() && in.ok(); ++i) {
    Input item(items[i], "payload.line_items[" + std::to_string(i) + "]");
    NormalizedLineItem line;
    line.external_product_id = external_id(item, items[i], "product_id", false);
    line.external_variant_id = external_id(item, items[i], "variant_id", false);
    const auto sku = item.optional_text("sku", {.min_length = 0});
    if (sku && !sku->empty()) line.external_sku = sku;
    line.title = item.optional_text("title", {.max_length = 500});
    line.quantity = item.integer("quantity", {.min = 1, .max = kMaxQuantity});
    if (item.ok())
      line.unit_price = decimal_amount(item, items[i], "price", order.currency, true).value_or(0);
    in.absorb(item);
    order.line_items.push_back(std::move(line));
  }
  if (!in.ok()) return in.error();
  return order;
}

}  // namespace eventuall::ops::orders

EVENTUALL_FOR_SIZE_END
