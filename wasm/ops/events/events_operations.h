#pragma once
#include "ops/operation.h"

namespace eventuall::ops {

OperationTask create_event(Context& ctx, Json input);
const contract::Contract& create_event_contract();
OperationTask get_event(Context& ctx, Json input);
const contract::Contract& get_event_contract();
OperationTask list_account_events(Context& ctx, Json input);
const contract::Contract& list_account_events_contract();

}  // namespace eventuall::ops
