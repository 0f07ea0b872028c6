#include "ops/accounts/accounts_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> accounts_operations() {
  // name, function, who may run it (ops/operation.h: Policy), its contract
  // (ops/contract.h, declared at the top of the operation's file).
  return {
      {"create_account", create_account, policy::actor("accounts:write"), create_account_contract},
      {"rename_account", rename_account, policy::actor("accounts:write"), rename_account_contract},
      {"add_account_owner", add_account_owner, policy::actor("accounts:write"),
       add_account_owner_contract},
      {"remove_account_owner", remove_account_owner, policy::actor("accounts:write"),
       remove_account_owner_contract},
      {"list_user_accounts", list_user_accounts, policy::self("userId", "accounts:read"),
       list_user_accounts_contract},
  };
}

}  // namespace eventuall::ops
