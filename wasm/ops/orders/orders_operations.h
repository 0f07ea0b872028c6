#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

// Tickets (tickets.cpp).
OperationTask create_ticket(Context& ctx, Json input);
const contract::Contract& create_ticket_contract();
OperationTask update_ticket(Context& ctx, Json input);
const contract::Contract& update_ticket_contract();
OperationTask delete_ticket(Context& ctx, Json input);
const contract::Contract& delete_ticket_contract();
OperationTask list_tickets(Context& ctx, Json input);
const contract::Contract& list_tickets_contract();
// External SKU mappings per event (sku_mappings.cpp).
OperationTask create_sku_mapping(Context& ctx, Json input);
const contract::Contract& create_sku_mapping_contract();
OperationTask list_sku_mappings(Context& ctx, Json input);
const contract::Contract& list_sku_mappings_contract();
OperationTask delete_sku_mapping(Context& ctx, Json input);
const contract::Contract& delete_sku_mapping_contract();
// Orders (ingest_order.cpp, order_lifecycle.cpp).
OperationTask ingest_order(Context& ctx, Json input);
const contract::Contract& ingest_order_contract();
OperationTask get_order(Context& ctx, Json input);
const contract::Contract& get_order_contract();
OperationTask refund_order(Context& ctx, Json input);
const contract::Contract& refund_order_contract();
OperationTask cancel_order(Context& ctx, Json input);
const contract::Contract& cancel_order_contract();
// Store connections per account (retailer_connections.cpp).
OperationTask create_retailer_connection(Context& ctx, Json input);
const contract::Contract& create_retailer_connection_contract();
OperationTask list_retailer_connections(Context& ctx, Json input);
const contract::Contract& list_retailer_connections_contract();
OperationTask delete_retailer_connection(Context& ctx, Json input);
const contract::Contract& delete_retailer_connection_contract();
OperationTask rotate_retailer_connection_secret(Context& ctx, Json input);
const contract::Contract& rotate_retailer_connection_secret_contract();
OperationTask get_retailer_connection_secrets(Context& ctx, Json input);
const contract::Contract& get_retailer_connection_secrets_contract();
// A verified retailer delivery: the action from its signed body (receive_webhook.cpp).
OperationTask receive_webhook(Context& ctx, Json input);
const contract::Contract& receive_webhook_contract();

}  // namespace eventuall::ops
