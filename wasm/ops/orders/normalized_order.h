#pragma once
// One internal shape for an order, whatever retailer sent it. Each retailer's
// payload has its own small parser (shopify_order.cpp, eventbrite_order.cpp,
// stripe_order.cpp, manual_order.cpp); ingest_order only ever sees this.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace eventuall::ops::orders {

// Bounds for one order, so a batch stays within D1's limits (one INSERT per
// line item plus a handful of order-wide statements).
inline constexpr std::size_t kMaxLineItems = 40;
inline constexpr std::int64_t kMaxQuantity = 10'000;
// 10^13 minor units: far above any real order, far below 2^53 (D1 numbers).
inline constexpr std::int64_t kMaxAmount = 10'000'000'000'000;

struct NormalizedLineItem {
  // The keys an item can be mapped by, most specific first (see match_keys).
  std::optional<std::string> external_product_id;
  std::optional<std::string> external_variant_id;
  std::optional<std::string> external_sku;
  // Manual orders name the internal ticket directly.
  std::optional<std::string> ticket_id;
  std::optional<std::string> title;
  std::int64_t quantity = 1;
  std::int64_t unit_price = 0;  // minor units
};

struct NormalizedOrder {
  std::string external_order_id;
  std::string buyer_email;  // lower-cased
  std::optional<std::string> buyer_name;
  std::string currency;                   // ISO 4217, upper-case
  std::int64_t total = 0;                 // minor units
  std::optional<std::int64_t> placed_at;  // unix seconds
  std::vector<NormalizedLineItem> line_items;
};

// The external ids a line item may be mapped by, in order of precedence: the
// variant (Shopify variant, Stripe price) is the most specific, then the SKU,
// then the product (Shopify product, Stripe product, Eventbrite ticket class).
std::vector<std::string> match_keys(const NormalizedLineItem& item);

Result<NormalizedOrder> parse_shopify_order(const Json& payload);
Result<NormalizedOrder> parse_eventbrite_order(const Json& payload);
Result<NormalizedOrder> parse_stripe_order(const Json& payload);
Result<NormalizedOrder> parse_manual_order(const Json& payload);

// Dispatches on the retailer name (one of the schema's retailers).
Result<NormalizedOrder> normalize_order(const std::string& retailer, const Json& payload);

}  // namespace eventuall::ops::orders
