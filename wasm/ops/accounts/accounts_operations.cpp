#include "ops/accounts/accounts_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> accounts_operations() {
  // name, function, who may run it (ops/operation.h: Policy).
  return {
      {"create_account", create_account, policy::actor("accounts:write")},
      {"rename_account", rename_account, policy::actor("accounts:write")},
      {"add_account_owner", add_account_owner, policy::actor("accounts:write")},
      {"remove_account_owner", remove_account_owner, policy::actor("accounts:write")},
      {"list_user_accounts", list_user_accounts, policy::self("userId", "accounts:read")},
  };
}

}  // namespace eventuall::ops
