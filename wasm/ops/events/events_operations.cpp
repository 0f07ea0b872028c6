#include "ops/events/events_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> events_operations() {
  return {
      {"create_event", create_event},
      {"get_event", get_event},
      {"list_account_events", list_account_events},
  };
}

}  // namespace eventuall::ops
