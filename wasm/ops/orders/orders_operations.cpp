#include "ops/orders/orders_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> orders_operations() {
  return {
      {"create_ticket", create_ticket},
      {"update_ticket", update_ticket},
      {"delete_ticket", delete_ticket},
      {"list_tickets", list_tickets},
      {"create_sku_mapping", create_sku_mapping},
      {"list_sku_mappings", list_sku_mappings},
      {"delete_sku_mapping", delete_sku_mapping},
      {"ingest_order", ingest_order},
      {"get_order", get_order},
      {"refund_order", refund_order},
      {"cancel_order", cancel_order},
      {"create_retailer_connection", create_retailer_connection},
      {"list_retailer_connections", list_retailer_connections},
      {"delete_retailer_connection", delete_retailer_connection},
      {"rotate_retailer_connection_secret", rotate_retailer_connection_secret},
      {"get_retailer_connection_secrets", get_retailer_connection_secrets},
      {"receive_webhook", receive_webhook},
  };
}

}  // namespace eventuall::ops
