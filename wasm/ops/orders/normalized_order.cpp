#include "ops/orders/normalized_order.h"

#include "common/for_size.h"

EVENTUALL_FOR_SIZE_BEGIN

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

namespace eventuall::ops::orders {

namespace {

// The largest integer a JS number (a double) holds exactly: 2^53 - 1.
constexpr std::uint64_t kMaxSafeInteger = 9'007'199'254'740'991ULL;

bool unsafe_number(const Json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>() > kMaxSafeInteger;
  if (v.is_number_integer()) {
    const std::int64_t i = v.get<std::int64_t>();
    return i > static_cast<std::int64_t>(kMaxSafeInteger) ||
           i < -static_cast<std::int64_t>(kMaxSafeInteger);
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return d > 9007199254740991.0 || d < -9007199254740991.0;
  }
  return false;
}

// The first number in the document beyond 2^53, if any (iterative: payloads may
// nest deeply, and the wasm stack is small).
const Json* first_unsafe_number(const Json& root) {
  std::vector<const Json*> pending{&root};
  while (!pending.empty()) {
    const Json* v = pending.back();
    pending.pop_back();
    if (unsafe_number(*v)) return v;
    if (v->is_object() || v->is_array()) {
      for (const auto& child : *v) pending.push_back(&child);
    }
  }
  return nullptr;
}

}  // namespace

Result<Json> read_order_payload(const Json& input) {
  const auto it = input.is_object() ? input.find("payload") : input.end();
  if (it == input.end() || it->is_null()) return Error::invalid_input("payload is required");
  if (it->is_string()) {
    auto parsed = parse_json(it->get_ref<const std::string&>());
    if (!parsed.ok()) return Error::invalid_input("payload is not valid JSON");
    return std::move(parsed).value();
  }
  // The number itself is not quoted: a JS caller's copy of it is already rounded.
  if (first_unsafe_number(*it)) {
    return Error::invalid_input(
        "payload holds a number beyond 2^53, which a JSON parser may already have rounded: pass "
        "the raw body text as payload");
  }
  return *it;
}

}  // namespace eventuall::ops::orders

EVENTUALL_FOR_SIZE_END
