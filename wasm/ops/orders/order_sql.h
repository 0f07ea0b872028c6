#pragma once
// SQL pieces the order operations share.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ops/contract.h"
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

// An order named by the caller: {orderId}, or {retailer, externalOrderId} with
// the eventId or connectionId it belongs to (external ids are unique only
// within a tenant's scope, see the orders table).
struct OrderKey {
  // Each condition is "<alias>.<column> = <value sql>"; params in order.
  std::vector<std::pair<std::string, std::string>> conditions;
  std::vector<sql::Value> params;
  std::string description;  // for messages: "order <id>"

  // The conditions over an alias ("o.id = ?"), or unaliased for "".
  std::string where(std::string_view alias = "") const;
  // The order's id as a scalar subquery, and its event as an EventRef.
  sql::Statement id_subquery() const;
  rbac::EventRef event() const;
};
// From the input order_key_input (order_lifecycle.cpp) declares.
Result<OrderKey> read_order_key(const contract::Args& args);

// Where an order goes and how its line items find their tickets:
//   an event: through that event's SKU mappings (the caller needs
//     order.manage there, or is trusted);
//   a store connection: through the SKU mappings of every event of the
//     connection's account. A product mapped in several of them resolves to
//     the one mapping whose sales window [sales_starts_at, sales_ends_at)
//     holds the order's time (placed_at, else now); none or several: the item
//     is unmapped, never guessed. Trusted callers only (a verified webhook).
struct IngestTarget {
  std::string retailer;
  std::optional<std::string> actor;
  std::string event_id;
  std::string connection_id;
  bool through_connection() const { return !connection_id.empty(); }
  // The scope external ids are unique within (orders.scope_id): the
  // connection, else the event's account, else (manual) the event.
  sql::Statement scope() const;
  // The ticket a line item's match keys (a JSON array, keys) resolve to, at
  // unix time `at`.
  sql::Statement resolved_ticket(const sql::Statement& keys, std::int64_t at) const;
};

}  // namespace eventuall::ops::orders
