#include "ops/recording/recording_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> recording_operations() { return {}; }

}  // namespace eventuall::ops
