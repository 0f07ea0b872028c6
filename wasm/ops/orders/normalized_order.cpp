#include "ops/orders/normalized_order.h"

namespace eventuall::ops::orders {

std::vector<std::string> match_keys(const NormalizedLineItem& item) {
  std::vector<std::string> keys;
  for (const auto* key : {&item.ticket_id, &item.external_variant_id, &item.external_sku,
                          &item.external_product_id}) {
    if (*key && !(*key)->empty()) keys.push_back(**key);
  }
  return keys;
}

Result<NormalizedOrder> normalize_order(const std::string& retailer, const Json& payload) {
  if (retailer == "shopify") return parse_shopify_order(payload);
  if (retailer == "eventbrite") return parse_eventbrite_order(payload);
  if (retailer == "stripe") return parse_stripe_order(payload);
  if (retailer == "manual") return parse_manual_order(payload);
  return Error::invalid_input("retailer must be one of: shopify, eventbrite, stripe, manual");
}

}  // namespace eventuall::ops::orders
