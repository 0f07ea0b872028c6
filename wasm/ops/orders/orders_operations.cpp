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
  };
}

}  // namespace eventuall::ops
