#include "ops/accounts/accounts_operations.h"

namespace eventuall::ops {

std::vector<OperationInfo> accounts_operations() {
  return {
      {"create_account", create_account},         {"rename_account", rename_account},
      {"add_account_owner", add_account_owner},   {"remove_account_owner", remove_account_owner},
      {"list_user_accounts", list_user_accounts},
  };
}

}  // namespace eventuall::ops
