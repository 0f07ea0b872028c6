#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

// Tickets (tickets.cpp).
OperationTask create_ticket(Context& ctx, Json input);
OperationTask update_ticket(Context& ctx, Json input);
OperationTask delete_ticket(Context& ctx, Json input);
OperationTask list_tickets(Context& ctx, Json input);
// External SKU mappings per event (sku_mappings.cpp).
OperationTask create_sku_mapping(Context& ctx, Json input);
OperationTask list_sku_mappings(Context& ctx, Json input);
OperationTask delete_sku_mapping(Context& ctx, Json input);
// Orders (ingest_order.cpp, order_lifecycle.cpp).
OperationTask ingest_order(Context& ctx, Json input);
OperationTask get_order(Context& ctx, Json input);
OperationTask refund_order(Context& ctx, Json input);
OperationTask cancel_order(Context& ctx, Json input);
// Store connections per account (retailer_connections.cpp).
OperationTask create_retailer_connection(Context& ctx, Json input);
OperationTask list_retailer_connections(Context& ctx, Json input);
OperationTask delete_retailer_connection(Context& ctx, Json input);
OperationTask rotate_retailer_connection_secret(Context& ctx, Json input);
OperationTask get_retailer_connection_secrets(Context& ctx, Json input);
// A verified retailer delivery: the action from its signed body (receive_webhook.cpp).
OperationTask receive_webhook(Context& ctx, Json input);

}  // namespace eventuall::ops
