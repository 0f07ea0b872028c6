#include "ops/rbac/rbac_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> rbac_operations() {
  return {
      {"can", can},
      {"explain_permission", explain_permission},
      {"effective_permissions", effective_permissions},
      {"define_permission", define_permission},
      {"define_role", define_role},
      {"add_role_permission", add_role_permission},
      {"add_role_inheritance", add_role_inheritance},
      {"grant_access", grant_access},
      {"revoke_access", revoke_access},
      {"invite", invite},
      {"list_participants", list_participants},
  };
}

}  // namespace eventuall::ops
