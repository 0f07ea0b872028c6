#include "ops/accounts/accounts_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> accounts_operations() { return {}; }

}  // namespace eventuall::ops
