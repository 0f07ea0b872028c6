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
  // Whose access the item is (an Eventbrite attendee, lower-cased); none: the buyer's.
  std::optional<std::string> holder_email;
  std::optional<std::string> holder_name;
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
  // What a later refund may name instead of the order (Stripe's payment intent).
  std::optional<std::string> external_payment_id;
  std::vector<NormalizedLineItem> line_items;
};

// What a retailer's webhook delivery asks for, read from its signed body only
// (never from a header such as X-Shopify-Topic, which no signature covers):
//   Shopify: an order body is an order; with cancelled_at set, its
//            cancellation; a refund body (refunds/create: order_id and
//            refund_line_items) refunds order_id.
//   Stripe:  the event's type: checkout.session.completed is an order;
//            charge.refunded with refunded:true (fully refunded) refunds the
//            order paid by its payment_intent; anything else is ignored.
//   Eventbrite: an order (status placed).
enum class DeliveryAction { kOrder, kCancel, kRefund, kIgnored };
const char* action_name(DeliveryAction action);  // order, cancel, refund, ignored

struct Delivery {
  DeliveryAction action = DeliveryAction::kIgnored;
  // The retailer's id of this delivery when the signed body carries one
  // (Stripe's event id); Shopify's is the X-Shopify-Webhook-Id header.
  std::optional<std::string> delivery_id;
  std::string kind;               // for reports: "checkout.session.completed", "refund"
  NormalizedOrder order;          // kOrder, and a Shopify cancellation's order body
  bool carries_order = false;     // whether `order` was read
  std::string external_order_id;  // kCancel / kRefund by order id (Shopify)
  std::optional<std::string> external_payment_id;  // kRefund by payment (Stripe)
};
Result<Delivery> parse_delivery(const std::string& retailer, const Json& payload);

// The payload of an order operation: the retailer's JSON as raw text (parsed
// by the core, so 64-bit ids stay exact) or as an object, which is refused
// when it holds a number beyond 2^53 (already rounded by a JS parser).
Result<Json> read_order_payload(const Json& input);

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
