#include "ops/events/events_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> events_operations() {
  // name, function, who may run it (ops/operation.h: Policy), its contract
  // (ops/contract.h, declared at the top of the operation's file).
  return {
      {"create_event", create_event, policy::actor("events:write"), create_event_contract},
      {"get_event", get_event, policy::actor("events:read"), get_event_contract},
      {"list_account_events", list_account_events, policy::actor("events:read"),
       list_account_events_contract},
  };
}

}  // namespace eventuall::ops
