#include "ops/rbac/rbac_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> rbac_operations() {
  // name, function, who may run it (ops/operation.h: Policy).
  return {
      {"can", can, policy::self("userId", "access:read")},
      {"explain_permission", explain_permission, policy::self("userId", "access:read")},
      {"effective_permissions", effective_permissions, policy::self("userId", "access:read")},
      {"define_permission", define_permission, policy::trusted()},
      {"define_role", define_role, policy::actor("access:write")},
      {"add_role_permission", add_role_permission, policy::actor("access:write")},
      {"add_role_inheritance", add_role_inheritance, policy::actor("access:write")},
      {"list_roles", list_roles, policy::actor("access:read")},
      {"get_role", get_role, policy::actor("access:read")},
      {"remove_role_permission", remove_role_permission, policy::actor("access:write")},
      {"remove_role_inheritance", remove_role_inheritance, policy::actor("access:write")},
      {"delete_role", delete_role, policy::actor("access:write")},
      {"grant_access", grant_access, policy::actor("access:write")},
      {"revoke_access", revoke_access, policy::actor("access:write")},
      {"invite", invite, policy::actor("access:write")},
      {"list_participants", list_participants, policy::actor("access:read")},
  };
}

}  // namespace eventuall::ops
