#include "ops/events/events_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> events_operations() {
  // name, function, who may run it (ops/operation.h: Policy).
  return {
      {"create_event", create_event, policy::actor("events:write")},
      {"get_event", get_event, policy::actor("events:read")},
      {"list_account_events", list_account_events, policy::actor("events:read")},
  };
}

}  // namespace eventuall::ops
