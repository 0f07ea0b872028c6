#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

OperationTask sign_up(Context& ctx, Json input);
OperationTask get_user(Context& ctx, Json input);

}  // namespace eventuall::ops
