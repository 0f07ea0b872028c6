#include "ops/identity/identity_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> identity_operations() {
  return {
      {"sign_up", sign_up},
      {"get_user", get_user},
  };
}

}  // namespace eventuall::ops
