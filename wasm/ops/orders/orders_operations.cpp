#include "ops/orders/orders_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> orders_operations() {
  // name, function, who may run it (ops/operation.h: Policy), its contract
  // (ops/contract.h, declared at the top of the operation's file).
  return {
      {"create_ticket", create_ticket, policy::actor("orders:write"), create_ticket_contract},
      {"update_ticket", update_ticket, policy::actor("orders:write"), update_ticket_contract},
      {"delete_ticket", delete_ticket, policy::actor("orders:write"), delete_ticket_contract},
      {"list_tickets", list_tickets, policy::actor("orders:read"), list_tickets_contract},
      {"create_sku_mapping", create_sku_mapping, policy::actor("orders:write"),
       create_sku_mapping_contract},
      {"list_sku_mappings", list_sku_mappings, policy::actor("orders:read"),
       list_sku_mappings_contract},
      {"delete_sku_mapping", delete_sku_mapping, policy::actor("orders:write"),
       delete_sku_mapping_contract},
      {"ingest_order", ingest_order, policy::actor("orders:write"), ingest_order_contract},
      {"get_order", get_order, policy::actor("orders:read"), get_order_contract},
      {"refund_order", refund_order, policy::actor("orders:write"), refund_order_contract},
      {"cancel_order", cancel_order, policy::actor("orders:write"), cancel_order_contract},
      {"create_retailer_connection", create_retailer_connection, policy::actor("orders:write"),
       create_retailer_connection_contract},
      {"list_retailer_connections", list_retailer_connections, policy::actor("orders:read"),
       list_retailer_connections_contract},
      {"delete_retailer_connection", delete_retailer_connection, policy::actor("orders:write"),
       delete_retailer_connection_contract},
      {"rotate_retailer_connection_secret", rotate_retailer_connection_secret,
       policy::actor("orders:write"), rotate_retailer_connection_secret_contract},
      {"get_retailer_connection_secrets", get_retailer_connection_secrets, policy::trusted(),
       get_retailer_connection_secrets_contract},
      {"receive_webhook", receive_webhook, policy::trusted(), receive_webhook_contract},
  };
}

}  // namespace eventuall::ops
