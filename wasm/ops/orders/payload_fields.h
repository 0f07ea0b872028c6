#pragma once
// Readers for the field types retailer payloads use and ops::Input does not:
// external ids that arrive as JSON integers or strings, decimal money strings,
// ISO 8601 timestamps and nested objects. Problems are recorded on the Input
// (first one wins), so a parser reads top to bottom and checks ok() once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/json.h"
#include "ops/input.h"

namespace eventuall::ops::orders {

// The field's value, or nullptr when absent, null or the object is not one.
const Json* field(const Json& object, std::string_view name);
// Whether the field holds a non-empty string.
bool has_text(const Json& object, std::string_view name);
// The field as an object (an empty object when absent; a non-object is rejected).
const Json& object_field(Input& in, const Json& object, std::string_view name);

// An id as a non-empty string or a non-negative JSON integer (Shopify's 64-bit
// ids are exact here because the payload is parsed by the core, not by JS).
std::optional<std::string> external_id(Input& in, const Json& object, std::string_view name,
                                       bool required);
// "25.00" -> 2500 for a 2-decimal currency; exact, never through a double.
std::optional<std::int64_t> decimal_amount(Input& in, const Json& object, std::string_view name,
                                           const std::string& currency, bool required);
// A whole amount already in minor units (Stripe, Eventbrite).
std::optional<std::int64_t> minor_amount(Input& in, const Json& object, std::string_view name,
                                         bool required);
// ISO 4217: three letters, returned upper-case ("usd" -> "USD").
std::string currency(Input& in, const Json& object, std::string_view name);
// ISO 8601 date-time with a zone ("2026-11-27T10:00:00-05:00", "...Z") -> unix seconds.
std::optional<std::int64_t> iso_timestamp(Input& in, const Json& object, std::string_view name);
// The first of the named fields of object (at path) that holds a non-empty
// string, read as an email; none at all is "is required" on the first name.
std::string first_email(Input& in, const Json& object, const std::string& path,
                        std::initializer_list<std::string_view> names);

// Digits after the decimal point in the currency's minor unit (JPY 0, KWD 3, most 2).
int currency_exponent(std::string_view currency);

}  // namespace eventuall::ops::orders
