#pragma once
// SQL pieces the order operations share.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ops/input.h"
#include "ops/rbac/permission_sql.h"
#include "sql/statement.h"

namespace eventuall::ops::orders {

// The platform role an order grants (seeded by migrations/webapp/0001_rbac_defaults.sql).
inline constexpr const char* kBuyerRoleId = "roleattendee000000000000";

// Ids for rows one statement fans out to (one per room of a ticket, say): a
// fresh CUID2 `base` with its last three characters replaced by `n` in base 36.
// Still 24 [0-9a-z] characters starting with a letter, unique per (base, n)
// for n < 46656, and as unlikely to collide across bases as 21-character CUID2
// prefixes. Sorting by id sorts by n, so rows keep the order they were made in.
inline constexpr std::size_t kMaxDerivedIds = 36 * 36 * 36;
std::string derived_id(std::string_view base, std::size_t n);
// The same in SQL, over a base and an n expression.
std::string derived_id_sql(std::string_view base_sql, std::string_view n_sql);

// The internal ticket a line item resolves to: the first of its match keys (a
// JSON array, keys_sql) that the event's mappings for the retailer know; for
// manual orders the key is a ticket id of the event itself.
std::string resolved_ticket_sql(bool manual, std::string_view keys_sql, std::string_view event_sql,
                                std::string_view retailer_sql);

// An order named by the caller: {orderId}, or {retailer, externalOrderId}
// (what a refund webhook knows).
struct OrderKey {
  std::string where_sql;  // over the orders table, unaliased: "id = ?"
  std::vector<sql::Value> params;
  std::string description;  // for messages: "order <id>"

  // The order's id as a scalar subquery, and its event as an EventRef.
  sql::Statement id_subquery() const;
  rbac::EventRef event() const;
  // The key over an alias: "o.id = ?".
  std::string where_over(std::string_view alias) const;
};
OrderKey read_order_key(Input& in);

}  // namespace eventuall::ops::orders
