#include "ops/rbac/rbac_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> rbac_operations() { return {}; }

}  // namespace eventuall::ops
