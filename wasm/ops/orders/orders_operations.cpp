#include "ops/orders/orders_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> orders_operations() {
  // name, function, who may run it (ops/operation.h: Policy).
  return {
      {"create_ticket", create_ticket, policy::actor("orders:write")},
      {"update_ticket", update_ticket, policy::actor("orders:write")},
      {"delete_ticket", delete_ticket, policy::actor("orders:write")},
      {"list_tickets", list_tickets, policy::actor("orders:read")},
      {"create_sku_mapping", create_sku_mapping, policy::actor("orders:write")},
      {"list_sku_mappings", list_sku_mappings, policy::actor("orders:read")},
      {"delete_sku_mapping", delete_sku_mapping, policy::actor("orders:write")},
      {"ingest_order", ingest_order, policy::actor("orders:write")},
      {"get_order", get_order, policy::actor("orders:read")},
      {"refund_order", refund_order, policy::actor("orders:write")},
      {"cancel_order", cancel_order, policy::actor("orders:write")},
      {"create_retailer_connection", create_retailer_connection, policy::actor("orders:write")},
      {"list_retailer_connections", list_retailer_connections, policy::actor("orders:read")},
      {"delete_retailer_connection", delete_retailer_connection, policy::actor("orders:write")},
      {"rotate_retailer_connection_secret", rotate_retailer_connection_secret,
       policy::actor("orders:write")},
      {"get_retailer_connection_secrets", get_retailer_connection_secrets, policy::trusted()},
      {"receive_webhook", receive_webhook, policy::trusted()},
  };
}

}  // namespace eventuall::ops
