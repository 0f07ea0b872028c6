#include "ops/rbac/rbac_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> rbac_operations() {
  // name, function, who may run it (ops/operation.h: Policy), its contract
  // (ops/contract.h, declared at the top of the operation's file).
  return {
      {"can", can, policy::self("userId", "access:read"), can_contract},
      {"explain_permission", explain_permission, policy::self("userId", "access:read"),
       explain_permission_contract},
      {"effective_permissions", effective_permissions, policy::self("userId", "access:read"),
       effective_permissions_contract},
      {"define_permission", define_permission, policy::trusted(), define_permission_contract},
      {"define_role", define_role, policy::actor("access:write"), define_role_contract},
      {"add_role_permission", add_role_permission, policy::actor("access:write"),
       add_role_permission_contract},
      {"add_role_inheritance", add_role_inheritance, policy::actor("access:write"),
       add_role_inheritance_contract},
      {"list_roles", list_roles, policy::actor("access:read"), list_roles_contract},
      {"get_role", get_role, policy::actor("access:read"), get_role_contract},
      {"remove_role_permission", remove_role_permission, policy::actor("access:write"),
       remove_role_permission_contract},
      {"remove_role_inheritance", remove_role_inheritance, policy::actor("access:write"),
       remove_role_inheritance_contract},
      {"delete_role", delete_role, policy::actor("access:write"), delete_role_contract},
      {"grant_access", grant_access, policy::actor("access:write"), grant_access_contract},
      {"revoke_access", revoke_access, policy::actor("access:write"), revoke_access_contract},
      {"invite", invite, policy::actor("access:write"), invite_contract},
      {"accept_invitations", accept_invitations, policy::actor("access:write"),
       accept_invitations_contract},
      {"list_participants", list_participants, policy::actor("access:read"),
       list_participants_contract},
  };
}

}  // namespace eventuall::ops
