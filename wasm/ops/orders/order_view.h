#pragma once
// How an order is read and shown to the tenant: the order with its line items
// (in payload order), the room access tickets it issued, the access it
// confers (per holder and scope) and the report of what it could not issue
// (unmapped or sold-out items). One statement, through the relations the
// schema declares. The view is the same whether or not a holder's email
// belongs to a verified user: no user ids, no pending profile ids, and grants
// and pending invitations both shown as `access` (issue 14).

#include <string>
#include <vector>

#include "common/json.h"
#include "ops/contract.h"
#include "sql/statement.h"

namespace eventuall::ops::orders {

// SELECT the order(s) matching `where_sql` (over alias o) with their children.
sql::Statement order_read(const std::string& where_sql, std::vector<sql::Value> params);
// The JSON of row `index` of an order_read result.
Json order_json(const sql::ResultSet& rows, std::size_t index = 0);
// Its contract: order_json's fields and an operation's `extra` ones; every one
// optional and the order nullable when the answer need not carry a view
// (a webhook that was ignored).
contract::Fields order_view_output(contract::Fields extra, bool all_optional = false);

}  // namespace eventuall::ops::orders
