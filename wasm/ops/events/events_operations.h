#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

OperationTask create_event(Context& ctx, Json input);
OperationTask get_event(Context& ctx, Json input);
OperationTask list_account_events(Context& ctx, Json input);

}  // namespace eventuall::ops
