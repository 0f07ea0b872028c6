#pragma once
// The writes ingest_order and receive_webhook share: recording a normalised
// order (ingest_order.cpp) and ending one (order_lifecycle.cpp), each in one
// atomic batch, optionally noting the retailer's delivery id.

#include <optional>
#include <string>

#include "ops/operation.h"
#include "ops/orders/normalized_order.h"
#include "ops/orders/order_sql.h"

namespace eventuall::ops::orders {

// A delivery to note in retailer_deliveries, so that a replay reports itself.
struct DeliveryNote {
  std::string retailer;
  sql::Statement scope;  // as IngestTarget::scope()
  std::string delivery_id;
  std::string action;  // order, cancel, refund
};

// {order..., created} (see ingest_order.cpp); through a connection, an order
// none of whose items resolves is not recorded: {recorded: false, unmapped}.
// With a note: replay is whether the delivery had been received before.
OperationTask record_order(Context& ctx, IngestTarget target, NormalizedOrder order,
                           std::optional<DeliveryNote> note);

// Refund or cancel (status "refunded" | "cancelled"): {order..., changed,
// revokedGrants}. settled_is_noop: an order already ended otherwise answers
// changed:false instead of conflict (a webhook's refund of a cancelled order).
OperationTask end_order(Context& ctx, std::optional<std::string> actor, OrderKey key,
                        std::string status, std::optional<DeliveryNote> note, bool settled_is_noop);

}  // namespace eventuall::ops::orders
