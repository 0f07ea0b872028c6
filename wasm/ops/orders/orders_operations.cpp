#include "ops/orders/orders_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> orders_operations() { return {}; }

}  // namespace eventuall::ops
